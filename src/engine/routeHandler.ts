import type { Request, Route } from 'playwright';
import { performance } from 'node:perf_hooks';
import { BundleCacheError } from '../errors.js';
import type { CachedResponse, EntryMeta } from '../disk/meta.js';
import { normalizeUrl } from '../keys/normalizeUrl.js';
import { log } from '../log.js';
import { findRule } from '../rules/rules.js';
import type { ServeSource, ServedEvent } from '../types.js';
import { isClosedError } from './closed.js';
import type { CacheRequest } from './parts.js';
import type { LoopbackServer } from '../loopback/loopbackServer.js';
import type { MemoryTier } from '../memory/memoryTier.js';
import type { StatsCounter } from './stats.js';
import type { BundleCacheError as CacheError } from '../errors.js';
import { FETCH_TIMEOUT_MS, type OriginFetch, type OriginResponse } from './origin.js';
import { redirectTarget, redirectedRequest } from './redirects.js';
import type { Resolution, Resolver } from './resolver.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { headersToServe } from './responseHeaders.js';
import { bypassReason, varyMatches } from './storePolicy.js';
import type { EarlyChecks } from './earlyChecks.js';
import { STORABLE_ENCODING } from './bodyEnd.js';
import { requestWantsFresh } from '../freshness/policy.js';
import type { FreshnessJudge } from '../freshness/judge.js';
import type { ContextServing } from '../loopback/contextServing.js';
import { useLoopback } from '../loopback/servePlan.js';
import { slug } from '../keys/entryPaths.js';

/**
 * The route handler: every route ends in exactly one of fulfill, fallback or
 * abort. Hits are served from memory, then disk; misses through the resolver.
 */
export interface RouteHandlerDeps {
  readonly options: ResolvedOptions;
  readonly stats: StatsCounter;
  readonly memory: MemoryTier;
  readonly loopback: LoopbackServer;
  readonly judge: FreshnessJudge;
  readonly resolver: Resolver;
  /** Checks started at a document's request; undefined checks each entry at its own request. */
  readonly early: EarlyChecks | undefined;
  readonly report: (error: CacheError, url?: string) => void;
  readonly onServed: (event: ServedEvent, key: string) => void;
}

export class RouteHandler {
  readonly #parts: RouteHandlerDeps;
  readonly #resolver: Resolver;
  readonly #judge: FreshnessJudge;
  readonly #early: EarlyChecks | undefined;
  readonly #onServed: (event: ServedEvent, key: string) => void;

  constructor(deps: RouteHandlerDeps) {
    this.#parts = deps;
    this.#resolver = deps.resolver;
    this.#judge = deps.judge;
    this.#early = deps.early;
    this.#onServed = deps.onServed;
  }

  readonly handle = async (route: Route, request: Request, serving: ContextServing): Promise<void> => {
    const stats = this.#parts.stats;
    stats.requests++;
    const tally: Tally = { cacheable: false, counted: false };
    try {
      await this.#handle(route, request, serving, tally);
    } catch (error) {
      // A bug or an unforeseen failure inside the cache must not fail the page.
      if (!isClosedError(error)) {
        this.#parts.report(new BundleCacheError('ERR_STORE_FAILED', `Unexpected error while handling ${request.url()}: ${(error as Error).message}`, { url: request.url() }, { cause: error }), request.url());
        await settle(route.fallback()).catch(() => {});
      }
      // Every request the cache saw ends in exactly one bucket.
      if (!tally.counted)
        count(stats, tally, isClosedError(error) ? 'aborted' : tally.cacheable ? 'misses' : 'bypassed');
    }
  };

  /** A request that arrives while the cache closes: left to the network, counted as bypassed. */
  readonly bypass = async (route: Route): Promise<void> => {
    this.#parts.stats.requests++;
    count(this.#parts.stats, { cacheable: false, counted: false }, 'bypassed');
    await settle(route.fallback()).catch(() => {});
  };

  async #handle(route: Route, request: Request, serving: ContextServing, tally: Tally): Promise<void> {
    const started = performance.now();
    if (request.isNavigationRequest())
      this.#early?.navigated(request, serving.api);
    const cacheRequest = this.#cacheRequest(request);
    if (!cacheRequest) {
      count(this.#parts.stats, tally, 'bypassed');
      return settle(route.fallback());
    }
    tally.cacheable = true;
    const at: Delivery = { route, request, requestedUrl: request.url(), serving, cacheRequest, started, tally };
    return this.#answer(at, cacheRequest, extraHeaders => fetchWithRoute(route, request.headers(), undefined, extraHeaders), 0);
  }

  /**
   * Answers `at`'s request with the entry of `current`: the request itself,
   * or the target of a redirect the cache followed (`hops` so far).
   */
  async #answer(at: Delivery, current: CacheRequest, fetchOrigin: OriginFetch, hops: number): Promise<void> {
    const { route, tally } = at;
    const parts = this.#parts;
    const deliver = (response: CachedResponse, source: ServeSource, stored = false, revalidated = false) =>
      this.#deliver(at, current, response, source, { stored, revalidated });
    // The check this entry was due for, started when the page's document was requested (see earlyChecks.ts).
    const early = hops === 0 && !current.wantsFresh ? this.#early?.take(at.request, current.key) : undefined;
    let { resolution, shared } = early ? await early : { resolution: undefined, shared: false };
    if (!resolution || !earlyUsable(resolution, current)) {
      const inMemory = parts.memory.get(current.key);
      // Memory obeys the same freshness as disk: an entry due for a check goes through the resolver.
      if (inMemory && this.#judge.decide(inMemory.meta, current) === 'serve')
        return deliver(inMemory, 'memory');
      ({ resolution, shared } = await this.#resolver.resolve(current, fetchOrigin, inMemory));
      // Whoever fetched for us went away, or got a response we may not share: our turn.
      if (shared && (resolution.kind === 'closed' || (resolution.kind === 'fetched' && !resolution.stored)))
        ({ resolution, shared } = await this.#resolver.resolve(current, fetchOrigin));
    }

    switch (resolution.kind) {
      case 'hit':
        return deliver(resolution.response, shared ? 'memory' : resolution.source, false, resolution.revalidated);
      case 'fetched': {
        if (resolution.stored)
          return deliver(resolution.stored, shared ? 'memory' : 'network', !shared);
        const target = redirectTarget(resolution, current.url, hops);
        if (target) {
          const next = redirectedRequest(current, target);
          log.debug(`redirect ${current.url} -> ${target} (${resolution.status}), followed by the cache`);
          return this.#answer(at, next, extraHeaders => fetchWithRoute(route, next.requestHeaders, target, extraHeaders), hops + 1);
        }
        log.debug(`miss ${current.url} -> network (${resolution.status}, ${resolution.body.length} bytes, not stored)`);
        // Not stored means not shareable (cookies, private): fulfilled as the origin sent it.
        await settle(route.fulfill({ status: resolution.status, headers: resolution.headers, body: resolution.body }));
        return this.#served(at, current, 'network', resolution.body.length, { stored: false, revalidated: false }, 'fulfill');
      }
      case 'offline':
        count(parts.stats, tally, 'misses');
        parts.report(resolution.error, current.url);
        log.warn(resolution.error.message);
        return settle(route.abort('internetdisconnected'));
      case 'fallback':
        count(parts.stats, tally, 'misses');
        return settle(route.fallback());
      case 'closed':
        log.debug(`abandoned ${current.url}: its page or context closed`);
        count(parts.stats, tally, 'aborted');
        return;
    }
  }

  #cacheRequest(request: Request): CacheRequest | undefined {
    return toCacheRequest(this.#parts.options, request.method(), request.url(), request.headers());
  }

  /** Hands a cached response to the browser: through the loopback server where it works, else fulfilled. */
  async #deliver(at: Delivery, served: CacheRequest, response: CachedResponse, source: ServeSource, outcome: Outcome): Promise<void> {
    const { route, request, serving, cacheRequest } = at;
    const { options, loopback } = this.#parts;
    const headers = headersToServe(response.meta.headers, response.body.length);
    const url = new URL(cacheRequest.url);
    if (useLoopback(options.serve, url.protocol, serving, request.isNavigationRequest()) && await serving.mayReachLoopback(request)) {
      let loopbackUrl: string | undefined;
      try {
        loopbackUrl = await loopback.publish({ status: response.meta.status, headers, body: response.body }, url.protocol === 'https:' ? 'https' : 'http', slug(url));
      } catch (error) {
        serving.loopbackBroken = true;
        this.#parts.report(new BundleCacheError('ERR_LOOPBACK_UNAVAILABLE', `The loopback server could not start (${(error as Error).message}); hits are fulfilled through the DevTools protocol instead.`, {}, { cause: error }));
      }
      if (loopbackUrl) {
        serving.track(request);
        log.debug(`${source === 'network' ? 'miss' : `hit ${source}`} ${cacheRequest.url} (${response.body.length} bytes) via loopback`);
        await settle(route.continue({ url: loopbackUrl }), () => loopback.unpublish(loopbackUrl));
        return this.#served(at, served, source, response.body.length, outcome, 'loopback', response.meta);
      }
    }
    log.debug(`${source === 'network' ? 'miss' : `hit ${source}`} ${cacheRequest.url} (${response.body.length} bytes) via fulfill`);
    await settle(route.fulfill({ status: response.meta.status, headers, body: response.body }));
    this.#served(at, served, source, response.body.length, outcome, 'fulfill', response.meta);
  }

  /** `served` is the entry's request: the original one, or a redirect's target. */
  #served(at: Delivery, served: CacheRequest, source: ServeSource, bytes: number, outcome: Outcome, via: ServedEvent['via'], meta?: EntryMeta): void {
    at.tally.counted = true;
    if (meta && served === at.cacheRequest)
      this.#early?.learn(at.request, at.requestedUrl, served, meta);
    this.#parts.stats.served(source, bytes);
    const redirected = served.key !== at.cacheRequest.key ? { redirectedTo: served.url } : {};
    this.#onServed({ url: at.cacheRequest.url, ...redirected, source, bytes, durationMs: performance.now() - at.started, stored: outcome.stored, via, revalidated: outcome.revalidated }, served.key);
  }
}

/** The request as the cache sees it, or undefined when it is not cacheable (no rule, not a GET…). */
export function toCacheRequest(options: ResolvedOptions, method: string, rawUrl: string, requestHeaders: Record<string, string>): CacheRequest | undefined {
  if (bypassReason(method, requestHeaders))
    return undefined;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return undefined;
  const rule = findRule(options.rules, url);
  if (!rule)
    return undefined;
  const normalized = normalizeUrl(url);
  return { key: `GET ${normalized}`, url: normalized, rule, requestHeaders, wantsFresh: requestWantsFresh(requestHeaders), arrivedAt: options.now() };
}

/**
 * The origin's answer through the page's own route (its cookies, proxy,
 * credentials), for the request or, after a redirect, for `url`.
 * Uncompressed, so the body's framing proves its end (see bodyEnd.ts);
 * redirects are followed by the cache itself (see redirects.ts).
 */
async function fetchWithRoute(route: Route, requestHeaders: Record<string, string>, url: string | undefined, extraHeaders: Record<string, string> | undefined): Promise<OriginResponse> {
  const headers = { ...requestHeaders, ...STORABLE_ENCODING, ...extraHeaders };
  const response = await route.fetch({ maxRedirects: 0, timeout: FETCH_TIMEOUT_MS, headers, ...(url ? { url } : {}) });
  return { status: response.status(), headers: response.headers(), body: await response.body() };
}

/**
 * Whether an early check's outcome may answer `request`: only an entry it
 * confirmed (a 304) or a new body it stored, and only if that body does not
 * vary on headers this request sent otherwise. Anything else (a failure, a
 * status that is not stored, a redirect) is left to the request's own check
 * through its route.
 */
function earlyUsable(resolution: Resolution, request: CacheRequest): boolean {
  const meta = resolution.kind === 'hit' ? resolution.response.meta : resolution.kind === 'fetched' ? resolution.stored?.meta : undefined;
  return meta !== undefined && varyMatches(meta.vary, request.requestHeaders);
}

/** Ends a route; a page or context that closed meanwhile is not an error. */
async function settle(action: Promise<void>, onClosed?: () => void): Promise<void> {
  try {
    await action;
  } catch (error) {
    if (!isClosedError(error))
      throw error;
    onClosed?.();
  }
}

/** Which bucket of `stats()` a request ended in, so that it ends in exactly one. */
interface Tally {
  cacheable: boolean;
  counted: boolean;
}

function count(stats: StatsCounter, tally: Tally, bucket: 'misses' | 'bypassed' | 'aborted'): void {
  tally.counted = true;
  stats[bucket]++;
}

interface Outcome {
  /** The response was written to the cache by this request. */
  readonly stored: boolean;
  /** The origin answered 304 for the stored body. */
  readonly revalidated: boolean;
}

interface Delivery {
  readonly route: Route;
  readonly request: Request;
  /** The URL the page asked for: `request.url()` names the loopback server once the request went there. */
  readonly requestedUrl: string;
  readonly serving: ContextServing;
  readonly cacheRequest: CacheRequest;
  readonly started: number;
  readonly tally: Tally;
}
