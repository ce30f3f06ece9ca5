import type { BundleCacheError } from '../errors.js';
import type { CachedResponse } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import { DiskMaintenance } from '../disk/maintenance.js';
import { DiskTier } from '../disk/diskTier.js';
import { EntryStore } from '../disk/entryStore.js';
import { KEY_LOCK_TIMEOUT_MS, KeyLockFlight } from '../disk/keyLockFlight.js';
import { LockManager, type LockOptions } from '../disk/locks.js';
import { nodeStoreFs, type StoreFs } from '../disk/storeFs.js';
import { VersionsIndex } from '../disk/versionsIndex.js';
import { FreshnessJudge } from '../freshness/judge.js';
import { hostId } from '../keys/hostId.js';
import { MemoryTier } from '../memory/memoryTier.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { RemoteTier } from '../remote/remoteTier.js';
import { ProcessFlight } from './processFlight.js';
import { Resolver, shareable, type Level } from './resolver.js';
import type { KeyOutcome } from './outcome.js';
import { StatsCounter } from './stats.js';

/** Seams for tests: a fault-injecting file system, faster lock timings, a recording memory tier. Not part of the public options. */
export interface EngineInternals {
  fs?: StoreFs;
  locks?: Partial<LockOptions>;
  /** How long a miss waits for another process fetching the same key. */
  keyLockTimeoutMs?: number;
  /**
   * When this run began (epoch ms), instead of `open()`: the test fixture
   * passes its `playwright test` invocation's start, so that every worker
   * (started late, or again after a failed test) belongs to one run. A check
   * made since by any process or machine counts as the run's; mode
   * 'refresh' refetches what was stored before.
   */
  runStartedAt?: number;
  /** This machine, as entries record who checked them. Default: `hostId()`. */
  host?: string;
  /** Builds the memory tier (a test passes a subclass that records its peak bytes and evictions). */
  memoryTier?: (options: ConstructorParameters<typeof MemoryTier>[0]) => MemoryTier;
}

/** What the engine tells the cache that holds it. */
export interface EngineEvents {
  /** Counts an error, logs it and emits it as a `'problem'` event. */
  report(error: BundleCacheError, url?: string): void;
  /** Background work (index updates, eviction, uploads) that `close()` waits for. */
  track(work: Promise<unknown>): void;
  /** A response served whose origin gave no way to check it cheaply: downloaded whole once per run. */
  unvalidated(request: CacheRequest, response: CachedResponse): void;
}

/** The pieces of one open cache that the ways in (route, warm, proxy) and `close()` use. */
export interface Engine {
  /** The file system seam every disk write goes through (sessions use it too). */
  readonly fs: StoreFs;
  readonly stats: StatsCounter;
  readonly memory: MemoryTier;
  readonly index: VersionsIndex;
  readonly locks: LockManager;
  /** The shared tier, when `remote` is set. */
  readonly remote: RemoteTier | undefined;
  readonly resolver: Resolver;
  /** Entries served on another process's or machine's check of this run (see `stats().checksBorrowed`). */
  checksBorrowed(): number;
  /** Whether the memory tier's copy for `request` would be checked with the origin before use (early checks start those). */
  dueForCheck(request: CacheRequest): boolean;
}

/** The composition root of the engine: the tiers fastest first, each with the single flight that guards the way past it. */
export function assembleEngine(options: ResolvedOptions, internals: EngineInternals, events: EngineEvents): Engine {
  const { report, track, unvalidated } = events;
  const fs = internals.fs ?? nodeStoreFs;
  const stats = new StatsCounter();
  const locks = new LockManager(internals.locks);
  const store = new EntryStore(options.dir, fs);
  const index = new VersionsIndex(options.dir, fs, locks, options.now);
  const memory = (internals.memoryTier ?? (settings => new MemoryTier(settings)))({ maxBytes: options.memory.maxBytes, ttlMs: options.memory.ttlMs, now: options.now });
  const maintenance = new DiskMaintenance({ options, fs, store, index, locks, forget: key => memory.delete(key), report, track });
  const disk = new DiskTier(store, locks, { now: options.now, report, track, stored: response => maintenance.afterStore(response) });
  const offline = options.mode === 'offline';
  // Opening never waits for (or fails on) the remote: it connects in the background. Offline, nothing past the disk is asked.
  const remote = options.remote && options.mode !== 'off' && !offline ? RemoteTier.open(options.remote, { report, now: options.now, host: internals.host ?? hostId() }) : undefined;
  void remote?.connect();
  const levels: Level[] = [
    { tier: memory, flight: new ProcessFlight<KeyOutcome>(shareable) },
    // A remote copy is served without the key lock (a new machine's first requests would each make a directory and a lock file first); its fill takes the lock.
    { tier: disk, flight: new KeyLockFlight(store, locks, internals.keyLockTimeoutMs ?? KEY_LOCK_TIMEOUT_MS, report), claimLate: true },
  ];
  if (remote)
    levels.push({ tier: remote, flight: remote.flight });
  const host = internals.host ?? hostId();
  const judge = new FreshnessJudge({ now: options.now, mode: options.mode, runStartedAt: internals.runStartedAt ?? options.now(), host });
  const resolver = new Resolver({
    levels, judge,
    policy: { now: options.now, host, versioning: options.versioning, staleIfErrorMs: options.staleIfErrorMs, offlineDir: offline ? options.dir : undefined },
    events: { report, track, unvalidated, checks: stats },
  });
  const dueForCheck = (request: CacheRequest) => {
    const copy = memory.take(request.key);
    return copy !== undefined && judge.decide(copy.meta, request) === 'revalidate';
  };
  return { fs, stats, memory, index, locks, remote, resolver, dueForCheck, checksBorrowed: () => judge.checksBorrowed };
}
