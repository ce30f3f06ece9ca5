import type { BundleCacheStats, CacheMode, ServeSource } from '../types.js';

/** Name of the JSON attachment on each test's result; the reporter reads it back. */
export const ATTACHMENT_NAME = 'bundle-cache';

/** How many served bundles are listed one by one; a test loading hundreds only needs the counts. */
export const LISTED_BUNDLES = 50;

export interface ServedBundle {
  url: string;
  source: ServeSource;
  bytes: number;
}

/** One test's own numbers (not the worker's running total): the attachment's content. */
export interface BundleCacheTestReport extends BundleCacheStats {
  mode: CacheMode;
  dir: string;
  /** The bundles served during the test, in order, at most `LISTED_BUNDLES`. */
  bundles: ServedBundle[];
  /** Served bundles left out of `bundles`. */
  bundlesNotListed: number;
  /** Bundles whose origin sent no validators, first served during this test: downloaded whole once per run. */
  noValidators: NoValidatorsBundle[];
}

/** A bundle without validators (see the `ERR_NO_VALIDATORS` problem). */
export interface NoValidatorsBundle {
  url: string;
  /** Body bytes. */
  size: number;
}

const COUNTERS = ['requests', 'memoryHits', 'diskHits', 'remoteHits', 'misses', 'bypassed', 'aborted', 'errors', 'bytesFromCache', 'bytesFromNetwork', 'bytesFromRemote', 'remoteErrors', 'uploads', 'revalidations', 'revalidated', 'checksBorrowed', 'withoutValidators'] as const;

/** What happened between two `stats()` snapshots of one cache. */
export function statsDelta(before: BundleCacheStats, after: BundleCacheStats): BundleCacheStats {
  const delta = Object.fromEntries(COUNTERS.map(name => [name, after[name] - before[name]])) as Record<(typeof COUNTERS)[number], number>;
  const sessions = {
    reused: after.sessions.reused - before.sessions.reused,
    warmed: after.sessions.warmed - before.sessions.warmed,
    rejected: after.sessions.rejected - before.sessions.rejected,
  };
  return { ...delta, hitRate: hitRate(delta), sessions };
}

/** Same definition as the engine's: hits over cacheable requests, 0 when there were none. */
export function hitRate(counts: { memoryHits: number; diskHits: number; remoteHits?: number; misses: number }): number {
  const hits = counts.memoryHits + counts.diskHits + (counts.remoteHits ?? 0);
  const cacheable = hits + counts.misses;
  return cacheable ? hits / cacheable : 0;
}

/** A test that sent nothing through the cache (nor used a session) gets no attachment, so unit tests stay uncluttered. */
export function hasActivity(stats: BundleCacheStats): boolean {
  const { reused, warmed, rejected } = stats.sessions;
  return stats.requests > 0 || stats.errors > 0 || reused + warmed + rejected > 0;
}
