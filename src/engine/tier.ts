import type { HeldLock } from '../disk/locks.js';
import type { CachedResponse } from '../disk/meta.js';
import type { CacheRequest } from './parts.js';

export type TierName = 'memory' | 'disk' | 'remote';

/**
 * One level of the cache (memory, disk, remote), as the resolver walks them
 * before the origin: look a request up, keep a response. Problems inside a
 * tier are reported by the tier and never thrown: a tier that fails is a
 * miss, and the walk goes on.
 */
export interface Tier {
  readonly name: TierName;
  /**
   * The stored response for the request's key, whole and checked (size,
   * sha256), or undefined. `locked`: the caller holds the key's lock, so a
   * damaged entry is really damaged rather than being written right now.
   * `known`: a copy of the entry already read and checked (by a faster tier,
   * or by this one without the lock); a tier may return its body again when
   * what it holds is that same body (same sha256, size and store time).
   */
  lookup(request: CacheRequest, locked: boolean, known?: CachedResponse): Promise<CachedResponse | undefined>;
  /**
   * Keeps a response that a slower tier or the origin produced; `lock` is the
   * key's, when the caller holds it. Resolves true when the response was kept.
   */
  fill(response: CachedResponse, lock: HeldLock | undefined): Promise<boolean>;
}
