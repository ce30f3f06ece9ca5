import type { APIRequestContext } from 'playwright';
import type { Resolution } from '../core/resolution.js';
import { toCacheRequest } from '../engine/cacheRequest.js';
import type { Resolver } from '../engine/resolver.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { requestContextOrigin } from '../route/routeOrigin.js';

/** What `warm()` did with one URL. */
export interface WarmResult {
  readonly url: string;
  /**
   * - `stored`: fetched from the origin and written to the cache;
   * - `fresh`: already cached and fresh: the origin was not asked, or answered
   *   `304 Not Modified` to a conditional request (`revalidated`);
   * - `not-stored`: fetched, but the response may not be cached (see `reason`);
   * - `not-cacheable`: no rule matches the URL;
   * - `failed`: the fetch failed (or offline mode).
   */
  readonly outcome: 'stored' | 'fresh' | 'not-stored' | 'not-cacheable' | 'failed';
  readonly bytes: number;
  readonly reason?: string;
  /** The entry was checked with the origin, which answered 304: fresh again, no body downloaded. */
  readonly revalidated?: boolean;
  /** The origin redirected `url` here; the cache followed, and this is what it cached. */
  readonly redirectedTo?: string;
}

export interface WarmOptions {
  /** Request context to fetch with (its cookies, headers, proxy). Default: a new one, closed by `close()`. */
  request?: APIRequestContext;
  /** Extra request headers. */
  headers?: Record<string, string>;
}

/**
 * `cache.warm(url)`: a page's request without a page. It goes through the
 * same `resolve()` (rules, tiers, freshness, single flight, store policy,
 * versioning, redirects); only the origin is reached through an
 * APIRequestContext instead of `route.fetch()`.
 */
export class Warmer {
  readonly #options: Pick<ResolvedOptions, 'rules' | 'now' | 'mode'>;
  readonly #resolver: Resolver;
  #ownRequest: Promise<APIRequestContext> | undefined;

  constructor(options: Pick<ResolvedOptions, 'rules' | 'now' | 'mode'>, resolver: Resolver) {
    this.#options = options;
    this.#resolver = resolver;
  }

  async warm(url: string, options: WarmOptions = {}): Promise<WarmResult> {
    const request = toCacheRequest(this.#options, 'GET', url, lowerCaseKeys(options.headers ?? {}));
    if (!request || this.#options.mode === 'off')
      return { url, outcome: 'not-cacheable', bytes: 0, reason: this.#options.mode === 'off' ? "mode 'off'" : 'no rule matches this URL' };
    const context = options.request ?? await this.#requestContext();
    return { ...warmResult(await this.#resolver.resolve(request, requestContextOrigin(context, url)), request.key), url };
  }

  async dispose(): Promise<void> {
    if (this.#ownRequest)
      await (await this.#ownRequest).dispose().catch(() => {});
  }

  #requestContext(): Promise<APIRequestContext> {
    this.#ownRequest ??= import('playwright').then(({ request }) => request.newContext());
    return this.#ownRequest;
  }
}

function warmResult(resolution: Resolution, key: string): Omit<WarmResult, 'url'> {
  const redirected = (request: { key: string; url: string }) => request.key !== key ? { redirectedTo: request.url } : {};
  switch (resolution.kind) {
    case 'served': {
      const { request, response, stored, revalidated } = resolution;
      if (stored)
        return { outcome: 'stored', bytes: response.body.length, ...redirected(request) };
      return { outcome: 'fresh', bytes: response.body.length, ...(revalidated ? { revalidated: true } : {}), ...redirected(request) };
    }
    case 'passed':
      return { outcome: 'not-stored', bytes: resolution.body.length, reason: resolution.reason, ...redirected(resolution.request) };
    case 'offline':
      return { outcome: 'failed', bytes: 0, reason: resolution.error.message };
    case 'fallback':
      return { outcome: 'failed', bytes: 0, reason: resolution.reason ? `fetch failed: ${resolution.reason}` : 'fetch failed' };
    case 'closed':
      return { outcome: 'failed', bytes: 0, reason: 'fetch failed' };
  }
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
