import type { BundleCacheError } from '../errors.js';
import type { EntryStore } from '../disk/entryStore.js';
import type { LockManager } from '../disk/locks.js';
import type { VersionsIndex } from '../disk/versionsIndex.js';
import type { StoreFs } from '../disk/storeFs.js';
import type { MemoryTier } from '../memory/memoryTier.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { ResolvedRule } from '../rules/rules.js';
import type { StatsCounter } from './stats.js';
import type { LoopbackServer } from '../loopback/loopbackServer.js';

/** What the pieces of one open cache share. */
export interface EngineParts {
  readonly options: ResolvedOptions;
  readonly fs: StoreFs;
  readonly store: EntryStore;
  readonly index: VersionsIndex;
  readonly memory: MemoryTier;
  readonly locks: LockManager;
  readonly stats: StatsCounter;
  /** Serves hits to Chromium from 127.0.0.1 (started on first use). */
  readonly loopback: LoopbackServer;
  /** In refresh mode, entries stored before this instant are refetched. */
  readonly refreshSince: number | undefined;
  /** How long a miss waits for another process that is fetching the same key. */
  readonly keyLockTimeoutMs: number;
  /** Counts an error, logs it and emits it as a `'problem'` event. */
  report(error: BundleCacheError, url?: string): void;
  /** Background work (index updates, eviction) that `close()` waits for. */
  track(work: Promise<unknown>): void;
}

/** A cacheable request, after rule matching and key computation. */
export interface CacheRequest {
  readonly key: string;
  /** Normalized URL (no credentials, no fragment). */
  readonly url: string;
  readonly rule: ResolvedRule;
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** The request asks for a copy checked with the origin (`Cache-Control: no-cache`…). */
  readonly wantsFresh: boolean;
  /** When the request reached the cache (epoch ms, the cache's clock). */
  readonly arrivedAt: number;
}
