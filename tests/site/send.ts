import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { isNotModified, notModifiedHeaders } from './conditional.js';
import { acceptsGzip, gzipped, isCompressible } from './encoding.js';
import { formatHttpDate } from './httpDate.js';
import type { Settings } from './options.js';
import type { HeaderMap, Resource } from './resources.js';
import { writeThrottled } from './throttle.js';
import type { Traffic } from './traffic.js';

/** One response in the making: where it goes and what it is counted under. */
export interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly pathname: string;
  readonly settings: Settings;
  readonly traffic: Traffic;
  readonly clock: () => number;
  readonly closing: AbortSignal;
}

/** What a 200 for `resource` carries, and whether its body goes out gzipped. */
export interface Representation {
  readonly headers: HeaderMap;
  readonly gzip: boolean;
}

/**
 * The headers of this resource for this request: its own, then `Date`
 * (never before its deploy), `Expires` after it, and the gzip negotiation.
 */
export function represent(ex: Exchange, resource: Resource): Representation {
  const headers: HeaderMap = { 'content-type': resource.contentType, ...resource.headers };
  const date = Math.max(ex.clock(), resource.notBefore ?? 0);
  headers.date ??= formatHttpDate(date);
  if (resource.expiresInSec !== undefined)
    headers.expires ??= formatHttpDate(date + resource.expiresInSec * 1000);
  let gzip = false;
  if (ex.settings.gzip && isCompressible(resource.contentType)) {
    headers.vary = 'accept-encoding';
    gzip = acceptsGzip(ex.req.headers['accept-encoding']);
    if (gzip) {
      headers['content-encoding'] = 'gzip';
      if (resource.weakEtagWhenGzipped && typeof headers.etag === 'string' && headers.etag.startsWith('"'))
        headers.etag = `W/${headers.etag}`;
    }
  }
  return { headers, gzip };
}

/** A 200 with the body, or a 304 when the request's validators match. */
export async function sendResource(ex: Exchange, resource: Resource): Promise<void> {
  const { headers, gzip } = represent(ex, resource);
  const method = ex.req.method ?? 'GET';
  if (isNotModified(method, ex.req.headers, headers)) {
    writeHead(ex, 304, notModifiedHeaders(headers));
    ex.res.end();
    return;
  }
  const body = gzip ? await gzipped(resource.body) : resource.body;
  headers['content-length'] = String(body.length);
  if (ex.res.destroyed)
    return;
  writeHead(ex, 200, headers);
  if (method === 'HEAD') {
    ex.res.end();
    return;
  }
  const { bandwidthBytesPerSec } = ex.settings;
  if (bandwidthBytesPerSec > 0)
    return writeThrottled(ex.res, body, bandwidthBytesPerSec, ex.closing, count => ex.traffic.addBytes(ex.pathname, count));
  ex.res.end(body);
  ex.traffic.addBytes(ex.pathname, body.length);
}

/** A small plain-text answer: an error, an injected status, a redirect's body. */
export function sendText(ex: Exchange, status: number, text: string, extra: OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(text);
  writeHead(ex, status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': String(body.length),
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    'date': formatHttpDate(ex.clock()),
    ...extra,
  });
  if (ex.req.method === 'HEAD') {
    ex.res.end();
    return;
  }
  ex.res.end(body);
  ex.traffic.addBytes(ex.pathname, body.length);
}

/** A redirect as static hosts send one: a Location, CORS so a cross-origin fetch may follow, no caching. */
export function sendRedirect(ex: Exchange, status: number, location: string): void {
  sendText(ex, status, `Redirecting to ${location}\n`, { location, 'cache-control': 'no-cache' });
}

/** Writes the head, arrays as repeated lines, and counts the status. */
export function writeHead(ex: Exchange, status: number, headers: OutgoingHttpHeaders): void {
  ex.traffic.responded(ex.pathname, status);
  ex.res.writeHead(status, headers);
}
