/** A response from the origin, body decoded. */
export interface OriginResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Fetches the request from the origin: `route.fetch()` for pages, an
 * APIRequestContext for `warm`. `extraHeaders` are added to the request's
 * own (a conditional request's `If-None-Match` / `If-Modified-Since`).
 */
export type OriginFetch = (extraHeaders?: Record<string, string>) => Promise<OriginResponse>;

/** The fetch's own limit; a bundle that takes longer goes to the browser instead. */
export const FETCH_TIMEOUT_MS = 120_000;
