import type { BundleCacheStats, ServeSource } from '../types.js';

/** The counters behind `stats()`. */
export class StatsCounter {
  requests = 0;
  memoryHits = 0;
  diskHits = 0;
  misses = 0;
  bypassed = 0;
  errors = 0;
  bytesFromCache = 0;
  bytesFromNetwork = 0;

  served(source: ServeSource, bytes: number): void {
    if (source === 'memory')
      this.memoryHits++;
    else if (source === 'disk')
      this.diskHits++;
    else
      this.misses++;
    if (source === 'network')
      this.bytesFromNetwork += bytes;
    else
      this.bytesFromCache += bytes;
  }

  snapshot(): Omit<BundleCacheStats, 'sessions'> {
    const hits = this.memoryHits + this.diskHits;
    const cacheable = hits + this.misses;
    return {
      requests: this.requests,
      memoryHits: this.memoryHits,
      diskHits: this.diskHits,
      misses: this.misses,
      bypassed: this.bypassed,
      errors: this.errors,
      bytesFromCache: this.bytesFromCache,
      bytesFromNetwork: this.bytesFromNetwork,
      hitRate: cacheable ? hits / cacheable : 0,
    };
  }
}
