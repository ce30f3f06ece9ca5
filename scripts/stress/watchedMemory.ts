import type { CachedResponse } from '../../src/core/meta.js';
import { MemoryTier } from '../../src/memory/memoryTier.js';

/**
 * The memory tier as the engine builds it, watched: the most bytes it ever
 * held and how many entries it evicted for room. Handed to a cache through
 * `BundleCacheInternals.memoryTier`, so promise 10 checks the tier's own
 * budget, not only the process's RSS.
 */
export class WatchedMemoryTier extends MemoryTier {
  peakBytes = 0;
  evictions = 0;

  override set(key: string, response: CachedResponse): string[] {
    const evicted = super.set(key, response);
    this.evictions += evicted.length;
    this.peakBytes = Math.max(this.peakBytes, this.bytes);
    return evicted;
  }
}
