/** A response from the origin, body decoded. */
export interface OriginResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * What the cache asks of the origin: the way in's own request (`url`
 * undefined: its URL exactly as the client sent it, with its escapes and
 * credentials) or a redirect's target, with these request headers (the
 * cache adds `If-None-Match` / `If-Modified-Since` to check an entry, and
 * asks for an uncompressed body). Redirects are not followed: the cache
 * follows them itself.
 */
export interface OriginAsk {
  readonly url: string | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * How one way in reaches the origin: `route.fetch()` for a page (its
 * cookies, proxy, credentials), a Playwright request context for `warm()`,
 * the proxy's own client for the proxy. Throws when the origin cannot be
 * reached; a closed page throws an error `isClosedError` recognises.
 */
export type Origin = (ask: OriginAsk) => Promise<OriginResponse>;

/** The fetch's own limit; a bundle that takes longer goes to the client instead. */
export const FETCH_TIMEOUT_MS = 120_000;
