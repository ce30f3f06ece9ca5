import type { IndexData } from '../../disk/indexSchema.js';
import type { FreshnessInfo } from './freshnessInfo.js';

export type EntryState = 'fresh' | 'expired' | 'corrupt';

/** One cache entry (a body with its meta.json) as the CLI reports it. Times are ISO, durations ms, sizes bytes. */
export interface EntryInfo {
  /** `v1/<host>/<slug>-<hash>`, relative to the cache dir. */
  readonly stem: string;
  /** The URL's `host[:port]`, or the host directory's name when meta.json is unreadable. */
  readonly host: string;
  readonly key: string | null;
  readonly url: string | null;
  readonly state: EntryState;
  /** Why the entry is corrupt; null otherwise. */
  readonly problem: string | null;
  /** Bytes of the body on disk. */
  readonly size: number;
  readonly resource: string | null;
  readonly version: string | null;
  readonly rule: string | null;
  readonly status: number | null;
  readonly sha256: string | null;
  readonly storedAt: string | null;
  readonly expiresAt: string | null;
  readonly ageMs: number | null;
  /** Negative once expired. */
  readonly expiresInMs: number | null;
  /** Immutable or revalidated, its validators, when the origin last confirmed it; null when meta.json is unreadable. */
  readonly freshness: FreshnessInfo | null;
  /** Hits served from this entry, as flushed to cache_versions.json when caches closed. */
  readonly hits: number;
  readonly lastHitAt: string | null;
  readonly lastHitAgoMs: number | null;
}

export type LeftoverKind = 'orphan-body' | 'orphan-meta' | 'temp' | 'stale-lock';

/** Something `clean` removes: half an entry, a crashed writer's temp file, a lock nobody refreshes. */
export interface Leftover {
  readonly kind: LeftoverKind;
  /** Relative to the cache dir, `/`-separated. */
  readonly path: string;
  /** The lock that guards it: the entry's stem, or `cache_versions.json` (absolute, without `.lock`). */
  readonly lockBase: string;
  readonly bytes: number;
  /** The key in an orphan meta.json, to drop from cache_versions.json with it. */
  readonly key: string | null;
}

export type IndexState = 'ok' | 'missing' | 'corrupt';

/** A snapshot of a cache directory, read without taking any lock. */
export interface CacheInspection {
  readonly dir: string;
  readonly index: { readonly state: IndexState; readonly dropped: number; readonly data: IndexData };
  readonly entries: EntryInfo[];
  readonly leftovers: Leftover[];
  /** Locks refreshed recently: a writer is at work (relative paths). */
  readonly heldLocks: string[];
  /** Stems that looked inconsistent while their lock was held: being written right now. */
  readonly writing: string[];
}
