import { performance } from 'node:perf_hooks';
import type { CacheRequest } from '../core/request.js';
import type { Resolution } from '../core/resolution.js';
import { toCacheRequest } from '../engine/cacheRequest.js';
import { earlyOrResolve } from '../engine/documentChecks.js';
import type { Resolver } from '../engine/resolver.js';
import { Visit, type StatsCounter } from '../engine/stats.js';
import type { BundleCacheError } from '../errors.js';
import { headersToServe } from '../http/responseHeaders.js';
import { log } from '../log.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { findRule } from '../rules/rules.js';
import type { ServedEvent } from '../types.js';
import type { BackendAnswer, CacheTicket, OriginFetcher, ProxyBackend, ProxyRequest } from './backend.js';
import type { ProxyEarlyChecks } from './proxyEarlyChecks.js';

export interface EngineBackendParts {
  readonly options: Pick<ResolvedOptions, 'mode' | 'rules' | 'now'>;
  readonly resolver: Resolver;
  /** Checks a document's must-revalidate entries at its request (undefined: each at its own request). */
  readonly early: ProxyEarlyChecks | undefined;
  readonly stats: StatsCounter;
  readonly events: { report(error: BundleCacheError, url?: string): void; served(event: ServedEvent, key: string): void };
}

interface EngineTicket extends CacheTicket {
  readonly request: CacheRequest;
  readonly visit: Visit;
  readonly started: number;
}

/**
 * The proxy's way in to the cache: a proxied request translated for
 * `resolve()`, and its resolution translated back to an answer the proxy
 * writes. Counted in `stats()` and emitted as `served` as a page's are.
 */
export class EngineBackend implements ProxyBackend {
  readonly #parts: EngineBackendParts;

  constructor(parts: EngineBackendParts) {
    this.#parts = parts;
  }

  mayCache(host: string, port: number): boolean {
    const { options } = this.#parts;
    return options.mode !== 'off' && options.rules.some(rule => !rule.hosts || rule.hosts(host, port));
  }

  accept(request: ProxyRequest, fetchOrigin: OriginFetcher): EngineTicket | undefined {
    const { options, stats, early } = this.#parts;
    const visit = new Visit(stats);
    if (options.mode !== 'off')
      early?.seen(request, fetchOrigin);
    // Most proxied requests match no rule: that is decided on the URL alone, before the headers are read and copied.
    const candidate = options.mode !== 'off' && request.method === 'GET' && findRule(options.rules, new URL(request.url)) !== undefined;
    const cacheRequest = candidate ? toCacheRequest(options, request.method, request.url, { ...request.headers }) : undefined;
    if (!cacheRequest) {
      visit.end('bypassed');
      return undefined;
    }
    visit.cacheable = true;
    return { url: cacheRequest.url, request: cacheRequest, visit, started: performance.now() };
  }

  async resolve(ticket: CacheTicket, fetchOrigin: OriginFetcher): Promise<BackendAnswer> {
    const { request, visit } = ticket as EngineTicket;
    const { resolver, early } = this.#parts;
    // The check its document's request started for this client (see proxyEarlyChecks.ts), if it stands for this request.
    const resolution = await earlyOrResolve(request, () => early?.take(request), () => resolver.resolve(request, ({ url, headers }) => fetchOrigin(url ?? request.url, headers)));
    switch (resolution.kind) {
      case 'served': {
        const { response, source, stored, revalidated } = resolution;
        log.debug(`${source === 'network' ? 'miss' : `hit ${source}`} ${request.url} (${response.body.length} bytes) via proxy`);
        this.#served(ticket as EngineTicket, resolution);
        return { kind: 'serve', status: response.meta.status, headers: headersToServe(response.meta.headers, response.body.length), body: response.body, source, stored, revalidated };
      }
      case 'passed':
        log.debug(`miss ${resolution.request.url} -> network (${resolution.status}, ${resolution.body.length} bytes, not stored: ${resolution.reason}) via proxy`);
        this.#served(ticket as EngineTicket, resolution);
        return { kind: 'origin', status: resolution.status, headers: resolution.headers, body: resolution.body };
      case 'offline':
        visit.end('misses');
        this.#parts.events.report(resolution.error, request.url);
        log.warn(resolution.error.message);
        return { kind: 'offline', message: resolution.error.message };
      case 'fallback':
        visit.end('misses');
        return { kind: 'pass', ...(resolution.reason ? { reason: resolution.reason } : {}) };
      case 'closed':
        visit.end('aborted');
        return { kind: 'pass' };
    }
  }

  #served(ticket: EngineTicket, resolution: Extract<Resolution, { kind: 'served' | 'passed' }>): void {
    const entry = resolution.request;
    const { source, bytes, stored, revalidated } = resolution.kind === 'served'
      ? { source: resolution.source, bytes: resolution.response.body.length, stored: resolution.stored, revalidated: resolution.revalidated }
      : { source: 'network' as const, bytes: resolution.body.length, stored: false, revalidated: false };
    ticket.visit.served(source, bytes);
    if (resolution.kind === 'served' && entry.key === ticket.request.key)
      this.#parts.early?.learn(entry, resolution.response.meta);
    const redirected = entry.key !== ticket.request.key ? { redirectedTo: entry.url } : {};
    this.#parts.events.served({ url: ticket.url, ...redirected, source, bytes, durationMs: performance.now() - ticket.started, stored, via: 'proxy', revalidated }, entry.key);
  }
}
