import type { Deploy } from './deploys.js';
import { assertPathname } from './faults.js';
import type { OriginProfile } from './profiles.js';

export type HeaderMap = Record<string, string | string[]>;

/** What a path serves: decoded bytes, their type, and response headers. */
export interface Resource {
  readonly body: Buffer;
  readonly contentType: string;
  /** Lower-case names. `Date` and `Expires` are added per response unless set here. */
  readonly headers: HeaderMap;
  /** `Expires` is this many seconds after the response's `Date`. */
  readonly expiresInSec?: number;
  /** Turn a strong ETag weak when the body is gzipped on the fly (nginx). */
  readonly weakEtagWhenGzipped?: boolean;
  /** The response's `Date` is never earlier than this (ms): the deploy behind its `Last-Modified`. */
  readonly notBefore?: number;
}

/** What a request resolves against, taken once when it arrives. */
export interface Snapshot {
  readonly deploy: Deploy;
  readonly profile: OriginProfile;
}

/** The files of one site layout and the headers its host sends for them. */
export interface Layout {
  builtIn(pathname: string, snapshot: Snapshot): Resource | undefined;
  /** The host's headers for a body added with `serve()`; the test's own go on top. */
  served(body: Buffer, contentType: string, snapshot: Snapshot): Resource;
  /** Compressed ahead of the first request when gzip is on. */
  readonly bundles: readonly string[];
}

interface Served {
  readonly body: Buffer;
  readonly contentType: string;
  readonly headers: HeaderMap;
}

/**
 * The site's URL space: a layout's built files, plus resources added or
 * replaced with `serve()`, plus extra headers from `setHeaders()`. A replaced
 * bundle is served as given, but the page still expects the built bytes,
 * exactly as when a CDN or cache hands out something other than what was
 * deployed. Headers a test sets are sent exactly as set: they replace the
 * host's by name, and a test's `ETag` or `Expires` is never rewritten.
 */
export class Resources {
  readonly #layout: Layout;
  readonly #served = new Map<string, Served>();
  readonly #extraHeaders = new Map<string, HeaderMap>();

  constructor(layout: Layout) {
    this.#layout = layout;
  }

  get bundles(): readonly string[] {
    return this.#layout.bundles;
  }

  resolve(pathname: string, snapshot: Snapshot): Resource | undefined {
    const served = this.#served.get(pathname);
    const resource = served
      ? withHeaders(this.#layout.served(served.body, served.contentType, snapshot), served.headers)
      : this.#layout.builtIn(pathname, snapshot);
    const extra = this.#extraHeaders.get(pathname);
    return resource && extra ? withHeaders(resource, extra) : resource;
  }

  serve(pathname: string, body: Buffer | string, contentType: string, headers: HeaderMap = {}): void {
    assertPathname(pathname);
    if (!contentType)
      throw new TypeError(`serve(${pathname}): a content type is required, e.g. 'text/javascript'`);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    this.#served.set(pathname, { body: bytes, contentType, headers: checkHeaders(`serve(${pathname})`, headers) });
  }

  setHeaders(pathname: string, headers: HeaderMap): void {
    assertPathname(pathname);
    this.#extraHeaders.set(pathname, checkHeaders(`setHeaders(${pathname})`, headers));
  }
}

function withHeaders(resource: Resource, extra: HeaderMap): Resource {
  const result: Resource = { ...resource, headers: { ...resource.headers, ...extra } };
  return {
    ...result,
    ...('etag' in extra ? { weakEtagWhenGzipped: false } : {}),
    ...('expires' in extra ? { expiresInSec: undefined } : {}),
  };
}

/** Lower-cases names and rejects what Node would throw on later, mid-request. */
function checkHeaders(where: string, headers: HeaderMap): HeaderMap {
  const checked: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    const values = Array.isArray(value) ? value : [value];
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) || values.some(v => typeof v !== 'string' || /[^\t\x20-\x7e\x80-\xff]/.test(v)))
      throw new TypeError(`${where}: ${JSON.stringify(name)} is not a header Node can send (a token name; string values of tab, printable and Latin-1 characters, no CR or LF)`);
    checked[name.toLowerCase()] = value;
  }
  return checked;
}
