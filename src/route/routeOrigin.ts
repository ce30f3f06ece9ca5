import type { APIRequestContext, Route } from 'playwright';
import { FETCH_TIMEOUT_MS, type Origin } from '../core/origin.js';

/**
 * The origin through the page's own route (its cookies, proxy,
 * credentials): the request itself, or a redirect's target.
 */
export function routeOrigin(route: Route): Origin {
  return async ({ url, headers }) => {
    const response = await route.fetch({ maxRedirects: 0, timeout: FETCH_TIMEOUT_MS, headers: { ...headers }, ...(url ? { url } : {}) });
    return { status: response.status(), headers: response.headers(), body: await response.body() };
  };
}

/**
 * The origin through a Playwright request context (its cookies, extra
 * headers, credentials), as `route.fetch()` does for a page. `url`: the URL
 * as the client asked for it (its exact escapes, its credentials).
 */
export function requestContextOrigin(context: APIRequestContext, url: string): Origin {
  return async ask => {
    const response = await context.get(ask.url ?? url, { headers: { ...ask.headers }, maxRedirects: 0, timeout: FETCH_TIMEOUT_MS });
    return { status: response.status(), headers: response.headers(), body: await response.body() };
  };
}
