import { EventEmitter } from 'node:events';
import type { CachedResponse } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import type { BrowserContext, Request, Route } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { prepareRoot } from '../disk/root.js';
import { nodeStoreFs } from '../disk/storeFs.js';
import { log } from '../log.js';
import { resolveOptions, type ResolvedOptions } from '../options/resolve.js';
import { formatBytes } from '../options/units.js';
import type { BundleCacheOptions, BundleCacheStats, ProxyOptions, ServedEvent, SessionEvent, SessionOptions } from '../types.js';
import { BundleCacheProxy } from '../proxy/bundleCacheProxy.js';
import type { Session } from '../sessions/session.js';
import { Sessions } from '../sessions/sessions.js';
import { ContextServing } from '../loopback/contextServing.js';
import { loadOrCreateCertificate, type LoopbackCertificate } from '../loopback/certificate.js';
import { LoopbackServer } from '../loopback/loopbackServer.js';
import { assembleEngine, type Engine, type EngineInternals } from '../engine/assemble.js';
import { EarlyChecks } from '../route/earlyChecks.js';
import { ProxyEarlyChecks } from '../proxy/proxyEarlyChecks.js';
import { RouteHandler } from '../route/routeHandler.js';
import { Warmer, type WarmOptions, type WarmResult } from '../warm/warm.js';
import { EngineBackend } from '../proxy/engineBackend.js';

/** Seams for tests, on top of the engine's. Not part of the public options. */
export interface BundleCacheInternals extends EngineInternals {
  /** `false` checks each entry at its bundle's request only, not at its document's (the benchmark's A/B of early checks). */
  earlyChecks?: boolean;
  /** Builds the loopback server (a test keeps it to read its counts, or gives it a clock). */
  loopbackServer?: (certificate: () => Promise<LoopbackCertificate>) => LoopbackServer;
}

type Handler = (route: Route, request: Request) => Promise<void>;

export interface BundleCacheEvents {
  /** Every cacheable request answered: where it came from, bytes, time. */
  served: [ServedEvent];
  /** Something went wrong and was degraded (or, offline, failed): the error, with its `code`. */
  problem: [BundleCacheError];
  /** A warmed session was warmed, reused, rejected or found expired (names and generations, never values). */
  session: [SessionEvent];
}

/**
 * A two-level (memory, disk) cache of large static bundles, served to
 * Playwright browser contexts through `context.route`.
 *
 * ```ts
 * const cache = await BundleCache.open({ dir: './cache' });
 * await cache.attach(context);
 * ```
 */
export class BundleCache implements AsyncDisposable {
  readonly #options: ResolvedOptions;
  readonly #engine: Engine;
  readonly #report: (error: BundleCacheError, url?: string) => void;
  readonly #loopback: LoopbackServer;
  readonly #certificate: () => Promise<LoopbackCertificate>;
  readonly #route: RouteHandler;
  readonly #warmer: Warmer;
  readonly #proxyBackend: EngineBackend;
  readonly #sessions: Sessions;
  readonly #contexts = new Map<BrowserContext, { handler: Handler; onClose: () => void; onRequestFailed: (request: Request) => void }>();
  readonly #events = new EventEmitter<BundleCacheEvents>();
  readonly #pending = new Set<Promise<unknown>>();
  /** Route handlers and warm() calls running now: `close()` lets them finish (each is bounded by the fetch timeout). */
  readonly #inflight = new Set<Promise<unknown>>();
  /** Proxies started with `proxy()`, closed by `close()` before it waits for what is in flight. */
  readonly #proxies = new Set<BundleCacheProxy>();
  /** URLs already said to have no validators this run. */
  readonly #unvalidatedUrls = new Set<string>();
  /** Hits counted in memory, flushed to cache_versions.json by `close()`. */
  readonly #hits = new Map<string, { count: number; lastHitAt: number }>();
  #closed = false;

  private constructor(options: ResolvedOptions, internals: BundleCacheInternals) {
    this.#options = options;
    const report = (error: BundleCacheError, url?: string) => {
      this.#engine.stats.errors++;
      log.debug(`error ${error.code}${url ? ` ${url}` : ''}: ${error.message}`);
      this.#events.emit('problem', error);
    };
    this.#report = report;
    const track = (work: Promise<unknown>) => this.#track(work);
    this.#engine = assembleEngine(options, internals, { report, track, unvalidated: (request, response) => this.#unvalidated(request, response) });
    const engine = this.#engine;
    let certificate: Promise<LoopbackCertificate> | undefined;
    this.#certificate = () => certificate ??= loadOrCreateCertificate(options.dir, engine.fs, engine.locks);
    this.#loopback = (internals.loopbackServer ?? (load => new LoopbackServer(load)))(this.#certificate);
    const early = internals.earlyChecks === false ? undefined : new EarlyChecks({ now: options.now, dueForCheck: engine.dueForCheck, resolver: engine.resolver, track });
    this.#route = new RouteHandler({
      options, resolver: engine.resolver, early,
      serving: { loopback: this.#loopback, stats: engine.stats, report, served: (event, key) => this.#onServed(event, key) },
    });
    this.#warmer = new Warmer(options, engine.resolver);
    const proxyEarly = internals.earlyChecks === false ? undefined : new ProxyEarlyChecks({ now: options.now, dueForCheck: engine.dueForCheck, resolver: engine.resolver, track });
    this.#proxyBackend = new EngineBackend({ options, resolver: engine.resolver, early: proxyEarly, stats: engine.stats, events: { report, served: (event, key) => this.#onServed(event, key) } });
    this.#sessions = new Sessions({
      root: options.dir, fs: engine.fs, locks: engine.locks, secret: options.sessions.key, now: options.now,
      attach: context => this.attach(context),
      report: error => report(error),
      notify: error => void this.#events.emit('problem', error),
      emit: event => void this.#events.emit('session', event),
      track,
      checkOpen: () => {
        if (this.#closed)
          throw new BundleCacheError('ERR_CLOSED', 'This BundleCache is closed. Fix: open a new one with BundleCache.open().');
      },
    }, options.sessions.declared);
  }

  /** Validates options (throws `ERR_OPTIONS`) and prepares the cache directory. */
  static async open(options?: BundleCacheOptions, internals: BundleCacheInternals = {}): Promise<BundleCache> {
    const resolved = resolveOptions(options);
    if (resolved.mode !== 'off')
      await prepareRoot(resolved.dir, internals.fs ?? nodeStoreFs);
    log.debug(`open ${resolved.dir} (mode ${resolved.mode})`);
    return new BundleCache(resolved, internals);
  }

  /** The absolute cache root. */
  get dir(): string {
    return this.#options.dir;
  }

  get mode(): ResolvedOptions['mode'] {
    return this.#options.mode;
  }

  /** Installs the cache's route handler on `context` (once; attaching twice is a no-op). */
  async attach(context: BrowserContext): Promise<void> {
    if (this.#closed)
      throw new BundleCacheError('ERR_CLOSED', 'This BundleCache is closed. Fix: open a new one with BundleCache.open().');
    if (this.#options.mode === 'off' || this.#contexts.has(context))
      return;
    const serving = new ContextServing(context, reason => this.#report(new BundleCacheError('ERR_LOOPBACK_UNAVAILABLE',
        `A hit served through the loopback server failed (${reason}); this context gets hits through route.fulfill from now on.`, { reason })));
    const handler: Handler = (route, request) => {
      // Closing: what is in flight finishes, anything new goes to the network.
      if (this.#closed)
        return this.#route.bypass(route);
      return this.#runInflight(this.#route.handle(route, request, serving));
    };
    const onClose = () => this.#contexts.delete(context);
    const onRequestFailed = (request: Request) => serving.requestFailed(request);
    this.#contexts.set(context, { handler, onClose, onRequestFailed });
    context.once('close', onClose);
    context.on('requestfailed', onRequestFailed);
    await context.route('**/*', handler);
  }

  /** Removes the route handler from `context`. A closed context is fine. */
  async detach(context: BrowserContext): Promise<void> {
    const attached = this.#contexts.get(context);
    if (!attached)
      return;
    this.#contexts.delete(context);
    context.off('close', attached.onClose);
    context.off('requestfailed', attached.onRequestFailed);
    await context.unroute('**/*', attached.handler).catch(() => {});
  }

  /**
   * Fills the cache with `url` before it is needed (no browser involved):
   * fetched and stored unless a fresh entry exists. Rules, store policy and
   * versioning apply as for a page's request.
   */
  async warm(url: string, options: WarmOptions = {}): Promise<WarmResult> {
    if (this.#closed)
      throw new BundleCacheError('ERR_CLOSED', 'This BundleCache is closed. Fix: open a new one with BundleCache.open().');
    return this.#runInflight(this.#warmer.warm(url, options));
  }

  /**
   * Starts a forward proxy on 127.0.0.1 that serves cacheable requests from
   * this cache, for any client that takes an HTTP proxy (another language's
   * Playwright, Puppeteer, Selenium, Firefox):
   * `chromium.launch((await cache.proxy()).launchOptions)`. HTTPS to hosts
   * the rules can match is opened with a CA kept under `<dir>/proxy/`.
   * Closed by `close()`. Bad options throw `ERR_OPTIONS`; a port in use
   * `ERR_PROXY_LISTEN`.
   */
  async proxy(options?: ProxyOptions): Promise<BundleCacheProxy> {
    if (this.#closed)
      throw new BundleCacheError('ERR_CLOSED', 'This BundleCache is closed. Fix: open a new one with BundleCache.open().');
    const { fs, locks } = this.#engine;
    const proxy = await BundleCacheProxy.start({
      dir: this.#options.dir, fs, locks, now: this.#options.now, backend: this.#proxyBackend,
      inflight: work => this.#runInflight(work),
    }, options, () => this.#proxies.delete(proxy));
    this.#proxies.add(proxy);
    return proxy;
  }

  /**
   * Chromium launch arguments that make it accept the loopback server's
   * certificate (created once in the cache dir), so https hits can take the
   * fast path with `serve: 'loopback'` in contexts that check certificates:
   * `chromium.launch({ args: await cache.httpsLaunchArgs() })`.
   */
  async httpsLaunchArgs(): Promise<string[]> {
    const { spkiSha256 } = await this.#certificate();
    return [`--ignore-certificate-errors-spki-list=${spkiSha256}`];
  }

  /**
   * A warmed session: `warm(context)` earns a storage state once, every
   * process on the cache dir reuses it for `ttl`, and it is warmed again
   * when the site rejects it. Without options, the session declared under
   * `sessions[name]`. Bad options throw `ERR_OPTIONS` here.
   */
  session(name: string, options?: SessionOptions): Session {
    return this.#sessions.session(name, options);
  }

  stats(): BundleCacheStats {
    return { ...this.#engine.stats.snapshot(this.#engine.remote?.stats(), this.#engine.checksBorrowed()), sessions: this.#sessions.stats() };
  }

  on<E extends keyof BundleCacheEvents>(event: E, listener: (...args: BundleCacheEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof BundleCacheEvents>(event: E, listener: (...args: BundleCacheEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /**
   * Lets requests in flight finish (a miss is fetched, stored and served;
   * each is bounded by the fetch timeout), sends anything new to the network,
   * then detaches from every context, finishes background writes, flushes hit
   * counts and releases locks.
   */
  async close(): Promise<void> {
    if (this.#closed)
      return;
    this.#closed = true;
    await Promise.all([...this.#proxies].map(proxy => proxy.close()));
    while (this.#inflight.size)
      await Promise.allSettled([...this.#inflight]);
    await Promise.all([...this.#contexts.keys()].map(context => this.detach(context)));
    while (this.#pending.size)
      await Promise.allSettled([...this.#pending]);
    if (this.#hits.size && this.#options.mode !== 'off') {
      await this.#engine.index.recordHits(this.#hits).catch(error => log.debug(`could not flush hit counts: ${(error as Error).message}`));
      this.#hits.clear();
    }
    await this.#closeRemote();
    await this.#loopback.close();
    await this.#engine.locks.releaseAll();
    this.#engine.memory.clear();
    await this.#warmer.dispose();
  }

  /** Same as `close()`. */
  dispose(): Promise<void> {
    return this.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #onServed(event: ServedEvent, key: string): void {
    if (event.source !== 'network') {
      const hit = this.#hits.get(key);
      if (hit) {
        hit.count++;
        hit.lastHitAt = this.#options.now();
      } else {
        this.#hits.set(key, { count: 1, lastHitAt: this.#options.now() });
      }
    }
    this.#events.emit('served', event);
  }

  /**
   * Says once per URL per run why a bundle's bytes still flow: the origin
   * gave no way to check it cheaply. Not a failure of the cache: emitted as
   * a `'problem'`, not counted in `errors`.
   */
  #unvalidated(request: CacheRequest, response: CachedResponse): void {
    if (this.#unvalidatedUrls.has(request.url))
      return;
    this.#unvalidatedUrls.add(request.url);
    this.#engine.stats.withoutValidators++;
    const { url, rule } = request;
    const size = response.body.length;
    log.debug(`no validators ${url} (${size} bytes, rule ${rule.name}): downloaded whole once per run`);
    this.#events.emit('problem', new BundleCacheError('ERR_NO_VALIDATORS',
        `${url} (${formatBytes(size)}) has no validators: the origin sends neither an ETag nor a Last-Modified, and its URL carries no version, so the cache can only download it whole, once per run. Fix: serve it with an ETag or Last-Modified, version its URL, or set revalidate: 'never' for its rule (${rule.name}).`,
        { url, size, rule: rule.name }));
  }

  /** Waits (bounded) for uploads to the remote tier, and says what it had to drop. */
  async #closeRemote(): Promise<void> {
    const remote = this.#engine.remote;
    if (!remote)
      return;
    const { dropped } = await remote.close();
    if (dropped.length) {
      const listed = dropped.slice(0, 5).map(item => `${item.url} (${item.reason})`).join(', ');
      log.warn(`close(): ${dropped.length} upload${dropped.length === 1 ? '' : 's'} to ${remote.location} did not finish in time and ${dropped.length === 1 ? 'was' : 'were'} dropped: ${listed}${dropped.length > 5 ? ', …' : ''}. The entries stay on disk; \`bundle-cache push\` uploads them.`);
    }
  }

  #runInflight<T>(work: Promise<T>): Promise<T> {
    this.#inflight.add(work);
    const forget = () => this.#inflight.delete(work);
    work.then(forget, forget);
    return work;
  }

  #track(work: Promise<unknown>): void {
    const settled = work.catch(() => {}).finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
  }
}
