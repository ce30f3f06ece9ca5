/**
 * THE SEAM THE LEAD REPLACES WITH resolve() (issue 20). This file adapts
 * today's engine to the proxy's `ProxyBackend` (backend.ts): rules and keys
 * through `toCacheRequest`, the memory check as warm.ts and the route
 * handler do it, `Resolver.resolve`, redirects followed as the route
 * follows them, and the same stats and `served` events. Once one
 * `resolve()` does all of that for every way in, this becomes a few lines.
 */
import { performance } from 'node:perf_hooks';
import type { CachedResponse } from '../disk/meta.js';
import { STORABLE_ENCODING } from '../engine/bodyEnd.js';
import type { OriginFetch } from '../engine/origin.js';
import type { CacheRequest } from '../engine/parts.js';
import { redirectTarget, redirectedRequest } from '../engine/redirects.js';
import type { Resolver } from '../engine/resolver.js';
import { headersToServe } from '../engine/responseHeaders.js';
import { toCacheRequest } from '../engine/routeHandler.js';
import type { StatsCounter } from '../engine/stats.js';
import type { BundleCacheError } from '../errors.js';
import type { FreshnessJudge } from '../freshness/judge.js';
import { log } from '../log.js';
import type { MemoryTier } from '../memory/memoryTier.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { ServeSource, ServedEvent } from '../types.js';
import type { BackendAnswer, CacheTicket, OriginFetcher, ProxyBackend, ProxyRequest } from './backend.js';

export interface EngineBackendDeps {
  readonly options: ResolvedOptions;
  readonly stats: StatsCounter;
  readonly memory: MemoryTier;
  readonly judge: FreshnessJudge;
  readonly resolver: Resolver;
  readonly report: (error: BundleCacheError, url?: string) => void;
  readonly onServed: (event: ServedEvent, key: string) => void;
}

interface EngineTicket extends CacheTicket {
  readonly request: CacheRequest;
  readonly started: number;
}

export class EngineBackend implements ProxyBackend {
  readonly #deps: EngineBackendDeps;

  constructor(deps: EngineBackendDeps) {
    this.#deps = deps;
  }

  mayCache(host: string, port: number): boolean {
    const { options } = this.#deps;
    return options.mode !== 'off' && options.rules.some(rule => !rule.hosts || rule.hosts(host, port));
  }

  accept(request: ProxyRequest): EngineTicket | undefined {
    const { options, stats } = this.#deps;
    stats.requests++;
    const cacheRequest = options.mode === 'off' ? undefined : toCacheRequest(options, request.method, request.url, { ...request.headers });
    if (!cacheRequest) {
      stats.bypassed++;
      return undefined;
    }
    return { url: cacheRequest.url, request: cacheRequest, started: performance.now() };
  }

  resolve(ticket: CacheTicket, fetchOrigin: OriginFetcher): Promise<BackendAnswer> {
    const engineTicket = ticket as EngineTicket;
    return this.#answer(engineTicket, engineTicket.request, fetchOrigin, 0);
  }

  /** Answers the ticket with the entry of `current`: its own request, or a redirect's target (`hops` so far). */
  async #answer(ticket: EngineTicket, current: CacheRequest, fetchOrigin: OriginFetcher, hops: number): Promise<BackendAnswer> {
    const { memory, judge, resolver, stats, report } = this.#deps;
    const origin: OriginFetch = extra => fetchOrigin(current.url, { ...current.requestHeaders, ...STORABLE_ENCODING, ...extra });
    const inMemory = memory.get(current.key);
    // Memory obeys the same freshness as disk: an entry due for a check goes through the resolver.
    if (inMemory && judge.decide(inMemory.meta, current) === 'serve')
      return this.#serve(ticket, current, inMemory, 'memory', false, false);
    let { resolution, shared } = await resolver.resolve(current, origin, inMemory);
    // Whoever fetched for us got a response we may not share: our turn.
    if (shared && (resolution.kind === 'closed' || (resolution.kind === 'fetched' && !resolution.stored)))
      ({ resolution, shared } = await resolver.resolve(current, origin));
    switch (resolution.kind) {
      case 'hit':
        return this.#serve(ticket, current, resolution.response, shared ? 'memory' : resolution.source, false, resolution.revalidated);
      case 'fetched': {
        if (resolution.stored)
          return this.#serve(ticket, current, resolution.stored, shared ? 'memory' : 'network', !shared, false);
        const target = redirectTarget(resolution, current.url, hops);
        if (target) {
          log.debug(`redirect ${current.url} -> ${target} (${resolution.status}), followed by the cache`);
          return this.#answer(ticket, redirectedRequest(current, target), fetchOrigin, hops + 1);
        }
        log.debug(`miss ${current.url} -> network (${resolution.status}, ${resolution.body.length} bytes, not stored) via proxy`);
        this.#served(ticket, current, 'network', resolution.body.length, false, false);
        return { kind: 'origin', status: resolution.status, headers: resolution.headers, body: resolution.body };
      }
      case 'offline':
        stats.misses++;
        report(resolution.error, current.url);
        log.warn(resolution.error.message);
        return { kind: 'offline', message: resolution.error.message };
      case 'fallback':
        stats.misses++;
        return { kind: 'pass', ...(resolution.reason ? { reason: resolution.reason } : {}) };
      case 'closed':
        stats.misses++;
        return { kind: 'pass' };
    }
  }

  #serve(ticket: EngineTicket, served: CacheRequest, response: CachedResponse, source: ServeSource, stored: boolean, revalidated: boolean): BackendAnswer {
    log.debug(`${source === 'network' ? 'miss' : `hit ${source}`} ${served.url} (${response.body.length} bytes) via proxy`);
    this.#served(ticket, served, source, response.body.length, stored, revalidated);
    return { kind: 'serve', status: response.meta.status, headers: headersToServe(response.meta.headers, response.body.length), body: response.body, source, stored, revalidated };
  }

  /** `served` is the entry's request: the ticket's own, or a redirect's target. */
  #served(ticket: EngineTicket, served: CacheRequest, source: ServeSource, bytes: number, stored: boolean, revalidated: boolean): void {
    this.#deps.stats.served(source, bytes);
    const redirected = served.key !== ticket.request.key ? { redirectedTo: served.url } : {};
    this.#deps.onServed({ url: ticket.url, ...redirected, source, bytes, durationMs: performance.now() - ticket.started, stored, via: 'proxy', revalidated }, served.key);
  }
}
