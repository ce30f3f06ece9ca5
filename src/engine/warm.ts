import type { APIRequestContext } from 'playwright';
import { isFresh } from './freshness.js';
import type { EngineParts } from './parts.js';
import { FETCH_TIMEOUT_MS, type Resolver } from './resolver.js';
import { toCacheRequest } from './routeHandler.js';

/** What `warm()` did with one URL. */
export interface WarmResult {
  readonly url: string;
  /**
   * - `stored`: fetched from the origin and written to the cache;
   * - `fresh`: already cached and fresh, the origin was not asked;
   * - `not-stored`: fetched, but the response may not be cached (see `reason`);
   * - `not-cacheable`: no rule matches the URL;
   * - `failed`: the fetch failed (or offline mode).
   */
  readonly outcome: 'stored' | 'fresh' | 'not-stored' | 'not-cacheable' | 'failed';
  readonly bytes: number;
  readonly reason?: string;
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
  readonly #parts: EngineParts;
  readonly #resolver: Resolver;
  #ownRequest: Promise<APIRequestContext> | undefined;

  constructor(parts: EngineParts, resolver: Resolver) {
    this.#parts = parts;
    this.#resolver = resolver;
  }

  async warm(url: string, options: WarmOptions = {}): Promise<WarmResult> {
    const request = toCacheRequest(this.#parts.options, 'GET', url, lowerCaseKeys(options.headers ?? {}));
    if (!request || this.#parts.options.mode === 'off')
      return { url, outcome: 'not-cacheable', bytes: 0, reason: this.#parts.options.mode === 'off' ? "mode 'off'" : 'no rule matches this URL' };
    const inMemory = this.#parts.memory.get(request.key);
    if (inMemory && isFresh(inMemory.meta, this.#parts.options.now(), request.rule.maxAgeMs, this.#parts.refreshSince))
      return { url, outcome: 'fresh', bytes: inMemory.body.length };
    const context = options.request ?? await this.#requestContext();
    const { resolution } = await this.#resolver.resolve(request, async () => {
      const response = await context.get(url, { headers: options.headers, maxRedirects: 0, timeout: FETCH_TIMEOUT_MS });
      return { status: response.status(), headers: response.headers(), body: await response.body() };
    });
    switch (resolution.kind) {
      case 'disk':
        return { url, outcome: 'fresh', bytes: resolution.response.body.length };
      case 'fetched':
        return resolution.stored
          ? { url, outcome: 'stored', bytes: resolution.body.length }
          : { url, outcome: 'not-stored', bytes: resolution.body.length, reason: resolution.notStoredReason ?? 'not storable' };
      case 'offline':
        return { url, outcome: 'failed', bytes: 0, reason: resolution.error.message };
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
