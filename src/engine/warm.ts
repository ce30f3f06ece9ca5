import type { APIRequestContext } from 'playwright';
import type { FreshnessJudge } from '../freshness/judge.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { MemoryTier } from '../memory/memoryTier.js';
import { fetchThrough } from './origin.js';
import type { Resolver } from './resolver.js';
import { toCacheRequest } from './routeHandler.js';
import type { CacheRequest } from './parts.js';
import { redirectTarget, redirectedRequest } from './redirects.js';

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
 * `cache.warm(url)`: a page's miss path without a page. The request goes
 * through the same rules, single-flight, lock, store policy and versioning;
 * only the fetch is an APIRequestContext's instead of `route.fetch()`.
 */
export class Warmer {
  readonly #options: ResolvedOptions;
  readonly #memory: MemoryTier;
  readonly #judge: FreshnessJudge;
  readonly #resolver: Resolver;
  #ownRequest: Promise<APIRequestContext> | undefined;

  constructor(deps: { options: ResolvedOptions; memory: MemoryTier; judge: FreshnessJudge; resolver: Resolver }) {
    this.#options = deps.options;
    this.#memory = deps.memory;
    this.#judge = deps.judge;
    this.#resolver = deps.resolver;
  }

  async warm(url: string, options: WarmOptions = {}): Promise<WarmResult> {
    const request = toCacheRequest(this.#options, 'GET', url, lowerCaseKeys(options.headers ?? {}));
    if (!request || this.#options.mode === 'off')
      return { url, outcome: 'not-cacheable', bytes: 0, reason: this.#options.mode === 'off' ? "mode 'off'" : 'no rule matches this URL' };
    const result = await this.#warm(request, url, options, 0);
    return { ...result, url };
  }

  /**
   * Warms `request`, or the target of the redirect it answers with, as
   * pages' requests do (see redirects.ts). `fetchUrl` is what is asked of the
   * origin: the URL as given (its credentials, its exact escapes), or a target.
   */
  async #warm(request: CacheRequest, fetchUrl: string, options: WarmOptions, hops: number): Promise<WarmResult> {
    const { url } = request;
    const redirected = hops ? { redirectedTo: url } : {};
    const inMemory = this.#memory.get(request.key);
    if (inMemory && this.#judge.decide(inMemory.meta, request) === 'serve')
      return { url, outcome: 'fresh', bytes: inMemory.body.length, ...redirected };
    const context = options.request ?? await this.#requestContext();
    const { resolution } = await this.#resolver.resolve(request, fetchThrough(context, fetchUrl, request.requestHeaders));
    switch (resolution.kind) {
      case 'hit':
        return { url, outcome: 'fresh', bytes: resolution.response.body.length, ...(resolution.revalidated ? { revalidated: true } : {}), ...redirected };
      case 'fetched': {
        if (resolution.stored)
          return { url, outcome: 'stored', bytes: resolution.body.length, ...redirected };
        const target = redirectTarget(resolution, url, hops);
        if (target)
          return this.#warm(redirectedRequest(request, target), target, options, hops + 1);
        return { url, outcome: 'not-stored', bytes: resolution.body.length, reason: resolution.notStoredReason ?? 'not storable', ...redirected };
      }
      case 'offline':
        return { url, outcome: 'failed', bytes: 0, reason: resolution.error.message };
      case 'fallback':
        return { url, outcome: 'failed', bytes: 0, reason: resolution.reason ? `fetch failed: ${resolution.reason}` : 'fetch failed' };
      default:
        return { url, outcome: 'failed', bytes: 0, reason: 'fetch failed' };
    }
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

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
