import type { Request, Route } from 'playwright';
import { performance } from 'node:perf_hooks';
import { BundleCacheError } from '../errors.js';
import type { CachedResponse } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import type { Resolution } from '../core/resolution.js';
import { toCacheRequest } from '../engine/cacheRequest.js';
import { earlyOrResolve } from '../engine/documentChecks.js';
import type { Resolver } from '../engine/resolver.js';
import { Visit, type StatsCounter } from '../engine/stats.js';
import { isClosedError } from '../http/closed.js';
import { headersToServe } from '../http/responseHeaders.js';
import { slug } from '../keys/entryPaths.js';
import { log } from '../log.js';
import type { ContextServing } from '../loopback/contextServing.js';
import type { LoopbackServer } from '../loopback/loopbackServer.js';
import { useLoopback } from '../loopback/servePlan.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { ServeMode, ServedEvent } from '../types.js';
import type { EarlyChecks } from './earlyChecks.js';
import { routeOrigin } from './routeOrigin.js';

export interface RouteHandlerParts {
  /** Rules and the clock (to turn a request into a cache request), and `serve`. */
  readonly options: Pick<ResolvedOptions, 'rules' | 'now'> & { readonly serve: ServeMode };
  readonly resolver: Resolver;
  /** Checks started at a document's request; undefined checks each entry at its own request. */
  readonly early: EarlyChecks | undefined;
  readonly serving: { readonly loopback: LoopbackServer; readonly stats: StatsCounter; report(error: BundleCacheError, url?: string): void; served(event: ServedEvent, key: string): void };
}

/**
 * The route handler: a page's request, translated for `resolve()` and its
 * answer handed back. Every route ends in exactly one of fulfill, continue
 * (to the loopback server), fallback or abort, and every request in exactly
 * one bucket of `stats()`.
 */
export class RouteHandler {
  readonly #parts: RouteHandlerParts;

  constructor(parts: RouteHandlerParts) {
    this.#parts = parts;
  }

  readonly handle = async (route: Route, request: Request, context: ContextServing): Promise<void> => {
    const visit = new Visit(this.#parts.serving.stats);
    try {
      await this.#handle(route, request, context, visit);
    } catch (error) {
      // A bug or an unforeseen failure inside the cache must not fail the page.
      if (!isClosedError(error)) {
        this.#parts.serving.report(new BundleCacheError('ERR_INTERNAL', `Unexpected error while handling ${request.url()}: ${(error as Error).message}. The browser fetched it itself. This is a bug in playwright-bundle-cache: please report it with this message.`, { url: request.url() }, { cause: error }), request.url());
        await settle(route.fallback()).catch(() => {});
      }
      visit.endUnlessCounted(isClosedError(error));
    }
  };

  /** A request that arrives while the cache closes: left to the network, counted as bypassed. */
  readonly bypass = async (route: Route): Promise<void> => {
    new Visit(this.#parts.serving.stats).end('bypassed');
    await settle(route.fallback()).catch(() => {});
  };

  async #handle(route: Route, request: Request, context: ContextServing, visit: Visit): Promise<void> {
    const started = performance.now();
    const { options, resolver, early, serving } = this.#parts;
    if (request.isNavigationRequest())
      early?.navigated(request, context.api);
    const cacheRequest = toCacheRequest(options, request.method(), request.url(), request.headers());
    if (!cacheRequest) {
      visit.end('bypassed');
      return settle(route.fallback());
    }
    visit.cacheable = true;
    const at: Delivery = { route, request, requestedUrl: request.url(), context, cacheRequest, started, visit };
    // The check this entry was due for, started when the page's document was requested (see earlyChecks.ts).
    const resolution = await earlyOrResolve(cacheRequest, () => early?.take(request, cacheRequest.key), () => resolver.resolve(cacheRequest, routeOrigin(route)));
    switch (resolution.kind) {
      case 'served':
        return this.#deliver(at, resolution);
      case 'passed':
        log.debug(`miss ${resolution.request.url} -> network (${resolution.status}, ${resolution.body.length} bytes, not stored: ${resolution.reason})`);
        // Not stored means not shareable (cookies, private): fulfilled as the origin sent it.
        await settle(route.fulfill({ status: resolution.status, headers: resolution.headers, body: resolution.body }));
        return this.#served(at, resolution.request, 'network', resolution.body.length, { stored: false, revalidated: false }, 'fulfill');
      case 'offline':
        visit.end('misses');
        serving.report(resolution.error, cacheRequest.url);
        log.warn(resolution.error.message);
        return settle(route.abort('internetdisconnected'));
      case 'fallback':
        visit.end('misses');
        return settle(route.fallback());
      case 'closed':
        log.debug(`abandoned ${cacheRequest.url}: its page or context closed`);
        visit.end('aborted');
        return;
    }
  }

  /** Hands a cached response to the browser: through the loopback server where it works, else fulfilled. */
  async #deliver(at: Delivery, served: Extract<Resolution, { kind: 'served' }>): Promise<void> {
    const { route, request, context, cacheRequest } = at;
    const { options, serving } = this.#parts;
    const { response, source } = served;
    const outcome: Outcome = { stored: served.stored, revalidated: served.revalidated };
    const headers = headersToServe(response.meta.headers, response.body.length);
    const url = new URL(cacheRequest.url);
    const what = `${source === 'network' ? 'miss' : `hit ${source}`} ${cacheRequest.url} (${response.body.length} bytes)`;
    if (useLoopback(options.serve, url.protocol, context, request.isNavigationRequest()) && await context.mayReachLoopback(request)) {
      let loopbackUrl: string | undefined;
      try {
        loopbackUrl = await serving.loopback.publish({ status: response.meta.status, headers, body: response.body }, url.protocol === 'https:' ? 'https' : 'http', slug(url));
      } catch (error) {
        context.loopbackBroken = true;
        serving.report(new BundleCacheError('ERR_LOOPBACK_UNAVAILABLE', `The loopback server could not start (${(error as Error).message}); hits are fulfilled through the DevTools protocol instead.`, {}, { cause: error }));
      }
      if (loopbackUrl) {
        context.track(request);
        log.debug(`${what} via loopback`);
        await settle(route.continue({ url: loopbackUrl }), () => serving.loopback.unpublish(loopbackUrl));
        return this.#served(at, served.request, source, response.body.length, outcome, 'loopback', response);
      }
    }
    log.debug(`${what} via fulfill`);
    await settle(route.fulfill({ status: response.meta.status, headers, body: response.body }));
    this.#served(at, served.request, source, response.body.length, outcome, 'fulfill', response);
  }

  /** `entry` is the request of the entry served: the original one, or a redirect's target. */
  #served(at: Delivery, entry: CacheRequest, source: ServedEvent['source'], bytes: number, outcome: Outcome, via: ServedEvent['via'], response?: CachedResponse): void {
    at.visit.served(source, bytes);
    if (response && entry.key === at.cacheRequest.key)
      this.#parts.early?.learn(at.request, at.requestedUrl, entry, response.meta);
    const redirected = entry.key !== at.cacheRequest.key ? { redirectedTo: entry.url } : {};
    this.#parts.serving.served({ url: at.cacheRequest.url, ...redirected, source, bytes, durationMs: performance.now() - at.started, stored: outcome.stored, via, revalidated: outcome.revalidated }, entry.key);
  }
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
  readonly context: ContextServing;
  readonly cacheRequest: CacheRequest;
  readonly started: number;
  readonly visit: Visit;
}
