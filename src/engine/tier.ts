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
   */
  lookup(request: CacheRequest, locked: boolean): Promise<CachedResponse | undefined>;
  /**
   * Keeps a response that a slower tier or the origin produced; `lock` is the
   * key's, when the caller holds it. Resolves true when the response was kept.
   */
  fill(response: CachedResponse, lock: HeldLock | undefined): Promise<boolean>;
}
