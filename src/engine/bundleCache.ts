import { EventEmitter } from 'node:events';
import type { BrowserContext, Request, Route } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { EntryStore } from '../disk/entryStore.js';
import { LockManager, type LockOptions } from '../disk/locks.js';
import { prepareRoot } from '../disk/root.js';
import { nodeStoreFs, type StoreFs } from '../disk/storeFs.js';
import { VersionsIndex } from '../disk/versionsIndex.js';
import { log } from '../log.js';
import { MemoryTier } from '../memory/memoryTier.js';
import { resolveOptions, type ResolvedOptions } from '../options/resolve.js';
import type { BundleCacheOptions, BundleCacheStats, ServedEvent } from '../types.js';
import { DiskMaintenance } from './maintenance.js';
import { loadOrCreateCertificate, type LoopbackCertificate } from '../loopback/certificate.js';
import { ContextServing } from '../loopback/contextServing.js';
import { LoopbackServer } from '../loopback/loopbackServer.js';
import type { EngineParts } from './parts.js';
import { KEY_LOCK_TIMEOUT_MS, Resolver } from './resolver.js';
import { RouteHandler } from './routeHandler.js';
import { Warmer, type WarmOptions, type WarmResult } from './warm.js';
import { StatsCounter } from './stats.js';

/** Seams for tests: a fault-injecting file system, faster lock timings. Not part of the public options. */
export interface BundleCacheInternals {
  fs?: StoreFs;
  locks?: Partial<LockOptions>;
  /** How long a miss waits for another process fetching the same key. */
  keyLockTimeoutMs?: number;
  /**
   * Mode 'refresh' refetches entries stored before this time (epoch ms)
   * instead of before `open()`. The test fixture passes its run's start, so
   * workers that start late in a run don't refetch what earlier ones did.
   */
  refreshSince?: number;
  /** Builds the memory tier (a test passes a subclass that records its peak bytes and evictions). */
  memoryTier?: (options: ConstructorParameters<typeof MemoryTier>[0]) => MemoryTier;
  /** Builds the loopback server (a test keeps it to read its counts, or gives it a clock). */
  loopbackServer?: (certificate: () => Promise<LoopbackCertificate>) => LoopbackServer;
}

type Handler = (route: Route, request: Request) => Promise<void>;
type ServingHandler = (route: Route, request: Request, serving: ContextServing) => Promise<void>;

export interface BundleCacheEvents {
  /** Every cacheable request answered: where it came from, bytes, time. */
  served: [ServedEvent];
  /** Something went wrong and was degraded (or, offline, failed): the error, with its `code`. */
  problem: [BundleCacheError];
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
  readonly #parts: EngineParts;
  readonly #handler: ServingHandler;
  readonly #certificate: () => Promise<LoopbackCertificate>;
  readonly #warmer: Warmer;
  readonly #contexts = new Map<BrowserContext, { handler: Handler; onClose: () => void; onRequestFailed: (request: Request) => void }>();
  readonly #events = new EventEmitter<BundleCacheEvents>();
  readonly #pending = new Set<Promise<unknown>>();
  /** Hits counted in memory, flushed to cache_versions.json by `close()`. */
  readonly #hits = new Map<string, { count: number; lastHitAt: number }>();
  #closed = false;

  private constructor(options: ResolvedOptions, internals: BundleCacheInternals) {
    this.#options = options;
    const fs = internals.fs ?? nodeStoreFs;
    const locks = new LockManager(internals.locks);
    const stats = new StatsCounter();
    let certificate: Promise<LoopbackCertificate> | undefined;
    this.#certificate = () => certificate ??= loadOrCreateCertificate(options.dir, fs, locks);
    this.#parts = {
      options,
      fs,
      store: new EntryStore(options.dir, fs),
      index: new VersionsIndex(options.dir, fs, locks, options.now),
      memory: (internals.memoryTier ?? (tier => new MemoryTier(tier)))({ maxBytes: options.memory.maxBytes, ttlMs: options.memory.ttlMs, now: options.now }),
      locks,
      stats,
      loopback: (internals.loopbackServer ?? (certificate => new LoopbackServer(certificate)))(this.#certificate),
      refreshSince: options.mode === 'refresh' ? internals.refreshSince ?? options.now() : undefined,
      keyLockTimeoutMs: internals.keyLockTimeoutMs ?? KEY_LOCK_TIMEOUT_MS,
      report: (error, url) => {
        stats.errors++;
        log.debug(`error ${error.code}${url ? ` ${url}` : ''}: ${error.message}`);
        this.#events.emit('problem', error);
      },
      track: work => this.#track(work),
    };
    const maintenance = new DiskMaintenance(this.#parts);
    const resolver = new Resolver(this.#parts, response => maintenance.afterStore(response));
    this.#warmer = new Warmer(this.#parts, resolver);
    this.#handler = new RouteHandler(this.#parts, resolver, (event, key) => this.#onServed(event, key)).handle;
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
    const serving = new ContextServing(context, reason => this.#parts.report(new BundleCacheError('ERR_LOOPBACK_UNAVAILABLE',
        `A hit served through the loopback server failed (${reason}); this context gets hits through route.fulfill from now on.`, { reason })));
    const handler: Handler = (route, request) => this.#handler(route, request, serving);
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
    return this.#warmer.warm(url, options);
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

  stats(): BundleCacheStats {
    return this.#parts.stats.snapshot();
  }

  on<E extends keyof BundleCacheEvents>(event: E, listener: (...args: BundleCacheEvents[E]) => void): this {
    this.#events.on(event, listener as never);
    return this;
  }

  off<E extends keyof BundleCacheEvents>(event: E, listener: (...args: BundleCacheEvents[E]) => void): this {
    this.#events.off(event, listener as never);
    return this;
  }

  /** Detaches from every context, finishes background writes, flushes hit counts, releases locks. */
  async close(): Promise<void> {
    if (this.#closed)
      return;
    this.#closed = true;
    await Promise.all([...this.#contexts.keys()].map(context => this.detach(context)));
    while (this.#pending.size)
      await Promise.allSettled([...this.#pending]);
    if (this.#hits.size && this.#options.mode !== 'off') {
      await this.#parts.index.recordHits(this.#hits).catch(error => log.debug(`could not flush hit counts: ${(error as Error).message}`));
      this.#hits.clear();
    }
    await this.#parts.loopback.close();
    await this.#parts.locks.releaseAll();
    this.#parts.memory.clear();
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

  #track(work: Promise<unknown>): void {
    const settled = work.catch(() => {}).finally(() => this.#pending.delete(settled));
    this.#pending.add(settled);
  }
}
