import type { IncomingHttpHeaders } from 'node:http';
import { parseHttpDate } from './httpDate.js';
import type { HeaderMap } from './resources.js';

/** An `If-None-Match` value: `*`, or the opaque tags of its entity-tags. */
export interface EntityTagList {
  readonly any: boolean;
  /** Opaque tags with their quotes and without `W/`, the form weak comparison uses. */
  readonly tags: readonly string[];
}

/**
 * Parses `#entity-tag` or `*` (RFC 9110 §13.1.2). A member that is not a
 * quoted entity-tag is skipped rather than failing the whole list, so one
 * bad member cannot turn a list into a match or a crash.
 */
export function parseEntityTagList(value: string): EntityTagList {
  const tags: string[] = [];
  let any = false;
  let at = 0;
  while (at < value.length) {
    const char = value[at]!;
    if (char === ',' || char === ' ' || char === '\t') {
      at++;
      continue;
    }
    const weak = value.startsWith('W/"', at);
    const open = weak ? at + 2 : at;
    if (value[open] === '"') {
      const close = value.indexOf('"', open + 1);
      if (close === -1)
        break; // An unterminated tag ends the list.
      const end = skipSpaces(value, close + 1);
      if (end === value.length || value[end] === ',')
        tags.push(value.slice(open, close + 1));
      at = end;
      continue;
    }
    const next = value.indexOf(',', at);
    const member = value.slice(at, next === -1 ? value.length : next).trim();
    if (member === '*')
      any = true;
    at = next === -1 ? value.length : next + 1;
  }
  return { any, tags };
}

/** The opaque tag of one `ETag` value (`W/"x"` → `"x"`), or undefined when it is not an entity-tag. */
export function opaqueTag(etag: string): string | undefined {
  const match = /^\s*(?:W\/)?("[^"]*")\s*$/.exec(etag);
  return match?.[1];
}

/**
 * Whether a GET or HEAD with these request headers gets a 304 for a
 * representation with these response headers (RFC 9110 §13.1.2, §13.1.3,
 * §13.2.2): If-None-Match with weak comparison, `*` matching any current
 * representation; If-Modified-Since only without If-None-Match, ignored
 * when either date is not a valid HTTP-date. Several `ETag` lines (a hostile
 * origin) match when any of them does; several `Last-Modified` lines are
 * not one date and disable If-Modified-Since.
 */
export function isNotModified(method: string, request: IncomingHttpHeaders, response: HeaderMap): boolean {
  if (method !== 'GET' && method !== 'HEAD')
    return false;
  const ifNoneMatch = request['if-none-match'];
  if (ifNoneMatch !== undefined) {
    const list = parseEntityTagList(ifNoneMatch);
    if (list.any)
      return true;
    const current = values(response.etag).map(opaqueTag).filter(tag => tag !== undefined);
    return list.tags.some(tag => current.includes(tag));
  }
  const since = parseHttpDate(request['if-modified-since']);
  const lastModified = values(response['last-modified']);
  if (since === undefined || lastModified.length !== 1)
    return false;
  const modified = parseHttpDate(lastModified[0]);
  return modified !== undefined && modified <= since;
}

// RFC 9110 §15.4.5: a 304 carries what a 200 would have sent of these, so a
// cache can refresh its stored headers; CORS lets a cross-origin revalidation
// through. Nothing about the body (type, length, encoding) is repeated.
const NOT_MODIFIED_HEADERS = new Set([
  'cache-control', 'content-location', 'date', 'etag', 'expires', 'last-modified', 'vary', 'access-control-allow-origin',
]);

/** The subset of a 200's headers that its 304 repeats. */
export function notModifiedHeaders(headers: HeaderMap): HeaderMap {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => NOT_MODIFIED_HEADERS.has(name)));
}

function values(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function skipSpaces(value: string, at: number): number {
  while (value[at] === ' ' || value[at] === '\t')
    at++;
  return at;
}
