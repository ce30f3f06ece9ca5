import type { CachedResponse } from './meta.js';
import type { CacheRequest } from './request.js';

export type TierName = 'memory' | 'disk' | 'remote';
export type TierRole = 'mirror' | 'store' | 'shared';

/**
 * One level of the cache, as the resolver walks them (memory, disk, remote:
 * fastest first) before the origin. Freshness is the resolver's to judge;
 * a tier only keeps bytes and checks them. Problems inside a tier are
 * reported by the tier and never thrown: a tier that fails is a miss, and
 * the walk goes on.
 */
export interface Tier {
  readonly name: TierName;
  /**
   * What a kept response means: `'mirror'`, a copy for speed (memory) that
   * never decides whether a response is stored; `'store'`, where a response
   * is stored (disk; the resolver waits for it); `'shared'`, an advisory copy
   * for other machines (remote), filled in the background.
   */
  readonly role: TierRole;
  /**
   * The stored response for the request's key, whole and checked (size,
   * sha256), or undefined. `known`: a copy a faster tier (or this one)
   * already read and checked; a tier may hand its body back instead of
   * reading and hashing its own when it holds that very body (same sha256,
   * size and store time).
   */
  get(request: CacheRequest, known?: CachedResponse): Promise<CachedResponse | undefined>;
  /**
   * Keeps a response: a new body, a copy from a slower tier, or a body it
   * holds already with newer meta (after the origin answered 304). Resolves
   * true when it was kept (for a remote: once uploaded, or false when not).
   */
  put(response: CachedResponse): Promise<boolean>;
  /** A copy this tier returned was served (for least-recently-used eviction). */
  served?(response: CachedResponse): void;
}
