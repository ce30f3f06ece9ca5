import { DiskTier } from '../disk/diskTier.js';
import { EntryStore } from '../disk/entryStore.js';
import { LockManager, type LockOptions } from '../disk/locks.js';
import { nodeStoreFs, type StoreFs } from '../disk/storeFs.js';
import { VersionsIndex } from '../disk/versionsIndex.js';
import { FreshnessJudge } from '../freshness/judge.js';
import { loadOrCreateCertificate, type LoopbackCertificate } from '../loopback/certificate.js';
import { LoopbackServer } from '../loopback/loopbackServer.js';
import { MemoryTier } from '../memory/memoryTier.js';
import type { ServedEvent } from '../types.js';
import { DiskMaintenance } from './maintenance.js';
import type { EngineParts } from './parts.js';
import { KEY_LOCK_TIMEOUT_MS, Resolver } from './resolver.js';
import { RouteHandler } from './routeHandler.js';
import { EarlyChecks } from './earlyChecks.js';
import { StatsCounter } from './stats.js';
import { Warmer } from './warm.js';
import { RemoteTier } from '../remote/remoteTier.js';
import { RemoteLevel } from '../remote/remoteLevel.js';
import type { Tier } from './tier.js';
import { EngineBackend } from '../proxy/engineBackend.js';

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
  /** `false` checks each entry at its bundle's request only, not at its document's (the benchmark's A/B of early checks). */
  earlyChecks?: boolean;
  /** Builds the loopback server (a test keeps it to read its counts, or gives it a clock). */
  loopbackServer?: (certificate: () => Promise<LoopbackCertificate>) => LoopbackServer;
}

/** The pieces of one open cache, each made with the collaborators it uses. */
export interface Engine {
  /** The file system seam every disk write goes through (sessions use it too). */
  readonly fs: StoreFs;
  readonly stats: StatsCounter;
  readonly memory: MemoryTier;
  readonly index: VersionsIndex;
  readonly locks: LockManager;
  readonly loopback: LoopbackServer;
  /** The shared tier, when `remote` is set. */
  readonly remote: RemoteTier | undefined;
  readonly certificate: () => Promise<LoopbackCertificate>;
  readonly handler: RouteHandler;
  readonly warmer: Warmer;
  /** What `cache.proxy()` answers cacheable requests with. */
  readonly proxyBackend: EngineBackend;
}

/** The composition root: builds the engine of one `BundleCache`. */
export function assembleEngine(parts: EngineParts, internals: BundleCacheInternals, stats: StatsCounter, onServed: (event: ServedEvent, key: string) => void): Engine {
  const { options, report, track } = parts;
  const fs = internals.fs ?? nodeStoreFs;
  const locks = new LockManager(internals.locks);
  const store = new EntryStore(options.dir, fs);
  const index = new VersionsIndex(options.dir, fs, locks, options.now);
  const memory = (internals.memoryTier ?? (settings => new MemoryTier(settings)))({ maxBytes: options.memory.maxBytes, ttlMs: options.memory.ttlMs, now: options.now });
  let certificate: Promise<LoopbackCertificate> | undefined;
  const loadCertificate = () => certificate ??= loadOrCreateCertificate(options.dir, fs, locks);
  const loopback = (internals.loopbackServer ?? (certificate => new LoopbackServer(certificate)))(loadCertificate);
  const refreshSince = options.mode === 'refresh' ? internals.refreshSince ?? options.now() : undefined;
  const maintenance = new DiskMaintenance({ options, fs, store, index, locks, memory, report, track });
  const judge = new FreshnessJudge({ now: options.now, mode: options.mode, refreshSince });
  const disk = new DiskTier(store, report);
  // Opening never waits for (or fails on) the remote: nothing connects until the first lookup.
  const remote = options.remote && options.mode !== 'off' ? RemoteTier.open(options.remote, { report, now: options.now }) : undefined;
  const remoteLevel = remote ? new RemoteLevel(remote) : undefined;
  const tiers: [DiskTier, ...Tier[]] = remoteLevel ? [disk, remoteLevel] : [disk];
  const resolver = new Resolver({
    tiers, disk, remote: remoteLevel, memory, locks, stats, judge,
    now: options.now, versioning: options.versioning, dir: options.dir, offline: options.mode === 'offline',
    staleIfErrorMs: options.staleIfErrorMs, keyLockTimeoutMs: internals.keyLockTimeoutMs ?? KEY_LOCK_TIMEOUT_MS,
    report, track,
    afterStore: (response, from) => {
      maintenance.afterStore(response);
      // What came from the origin is shared; what came from the remote is there already.
      if (from === 'origin')
        void remoteLevel?.fill(response);
    },
  });
  const early = internals.earlyChecks === false ? undefined : new EarlyChecks({ now: options.now, memory, judge, resolver, track });
  return {
    fs, stats, memory, index, locks, loopback, remote, certificate: loadCertificate,
    handler: new RouteHandler({ options, stats, memory, loopback, judge, resolver, early, report, onServed }),
    warmer: new Warmer({ options, memory, judge, resolver }),
    proxyBackend: new EngineBackend({ options, stats, memory, judge, resolver, report, onServed }),
  };
}
