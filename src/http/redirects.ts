import { normalizeUrl } from '../keys/normalizeUrl.js';
import type { CacheRequest } from '../core/request.js';

/** Redirects the cache follows itself before giving up and passing the last one to the browser. */
export const MAX_REDIRECTS = 5;

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers the browser would not send to another origin after a redirect (the target's own cookies are added by Playwright). */
const CREDENTIAL_HEADERS = ['cookie', 'authorization', 'proxy-authorization'];

/**
 * Where a redirect the origin answered with points, resolved against the URL
 * it answered for, or undefined when it is no redirect the cache follows
 * (not a 3xx with a Location, not http(s), one hop too many). Playwright
 * does not route a redirect's target, so the cache follows it itself and
 * serves the final response for the original request.
 */
export function redirectTarget(response: { status: number; headers: Readonly<Record<string, string>> }, from: string, hops: number): string | undefined {
  const location = response.headers.location;
  if (!REDIRECT_STATUSES.has(response.status) || !location || hops >= MAX_REDIRECTS)
    return undefined;
  let target: URL;
  try {
    target = new URL(location.split('\n')[0]!.trim(), from);
  } catch {
    return undefined;
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    return undefined;
  const normalized = normalizeUrl(target);
  return normalized === from ? undefined : normalized;
}

/**
 * The request for a redirect's target, keyed by the target's own URL and
 * cached by the rule that matched the original request. Credentials of the
 * original request do not follow it to another origin.
 */
export function redirectedRequest(from: CacheRequest, target: string): CacheRequest {
  const crossOrigin = new URL(target).origin !== new URL(from.url).origin;
  const requestHeaders = crossOrigin
    ? Object.fromEntries(Object.entries(from.requestHeaders).filter(([name]) => !CREDENTIAL_HEADERS.includes(name.toLowerCase())))
    : from.requestHeaders;
  return { ...from, key: `GET ${target}`, url: target, requestHeaders };
}
