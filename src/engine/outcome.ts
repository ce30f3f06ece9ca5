import type { BundleCacheError } from '../errors.js';
import type { CachedResponse } from '../core/meta.js';
import type { Passed, Resolution } from '../core/resolution.js';
import type { TierName } from '../core/tier.js';
import type { CacheRequest } from '../core/request.js';

/** What one key came to: shared by the requests of this process that asked for it at once. */
export type KeyOutcome =
  | { readonly kind: 'hit'; readonly response: CachedResponse; readonly source: TierName; readonly revalidated: boolean }
  | { readonly kind: 'stored'; readonly response: CachedResponse }
  | Passed
  | Extract<Resolution, { kind: 'offline' | 'fallback' | 'closed' }>;

/** How answers from the origin become entries. */
export interface OriginPolicy {
  readonly now: () => number;
  /** This machine, recorded in what it stores and checks (see `hostId`). */
  readonly host: string;
  readonly versioning: boolean;
  /** How long past its freshness a stored copy may stand in for a failed origin (the `staleIfError` option). */
  readonly staleIfErrorMs: number | false;
  /** Offline mode: the cache dir, named in a miss's error; the origin is never asked. */
  readonly offlineDir: string | undefined;
}

/** What the resolver tells the cache around it. */
export interface ResolverEvents {
  /** Counts an error, logs it and emits it as a `'problem'` event. */
  report(error: BundleCacheError, url?: string): void;
  /** Background work (writes to slower tiers, touches) that `close()` waits for. */
  track(work: Promise<unknown>): void;
  /** `stats().revalidations` and `revalidated`. */
  readonly checks: { revalidations: number; revalidated: number };
  /** A response served whose origin gave no way to check it cheaply (see `withoutValidators`). */
  unvalidated(request: CacheRequest, response: CachedResponse): void;
}
