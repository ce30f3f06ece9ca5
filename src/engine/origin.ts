import type { APIRequestContext } from 'playwright';
import { STORABLE_ENCODING } from './bodyEnd.js';

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

/**
 * An `OriginFetch` through a Playwright request context (its cookies, extra
 * headers, credentials), as `route.fetch()` does for a page: no redirects followed,
 * the body uncompressed (see bodyEnd.ts).
 */
export function fetchThrough(context: APIRequestContext, url: string, requestHeaders: Readonly<Record<string, string>>): OriginFetch {
  return async extraHeaders => {
    const response = await context.get(url, { headers: { ...requestHeaders, ...STORABLE_ENCODING, ...extraHeaders }, maxRedirects: 0, timeout: FETCH_TIMEOUT_MS });
    return { status: response.status(), headers: response.headers(), body: await response.body() };
  };
}
