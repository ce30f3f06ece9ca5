import type { BundleCacheStats, ServeSource } from '../types.js';

/** The counters behind `stats()`. */
export class StatsCounter {
  requests = 0;
  memoryHits = 0;
  diskHits = 0;
  remoteHits = 0;
  misses = 0;
  bypassed = 0;
  aborted = 0;
  errors = 0;
  bytesFromCache = 0;
  bytesFromNetwork = 0;
  bytesFromRemote = 0;
  revalidations = 0;
  revalidated = 0;
  withoutValidators = 0;

  served(source: ServeSource, bytes: number): void {
    switch (source) {
      case 'memory':
        this.memoryHits++;
        this.bytesFromCache += bytes;
        break;
      case 'disk':
        this.diskHits++;
        this.bytesFromCache += bytes;
        break;
      case 'remote':
        this.remoteHits++;
        this.bytesFromRemote += bytes;
        break;
      case 'network':
        this.misses++;
        this.bytesFromNetwork += bytes;
        break;
    }
  }

  /** `remote`: the shared tier's own counters (errors, uploads), when there is one. */
  /** `checksBorrowed`: the freshness judge's count. */
  snapshot(remote: { remoteErrors: number; uploads: number } | undefined, checksBorrowed: number): Omit<BundleCacheStats, 'sessions'> {
    const hits = this.memoryHits + this.diskHits + this.remoteHits;
    const cacheable = hits + this.misses;
    return {
      requests: this.requests,
      memoryHits: this.memoryHits,
      diskHits: this.diskHits,
      remoteHits: this.remoteHits,
      misses: this.misses,
      bypassed: this.bypassed,
      aborted: this.aborted,
      errors: this.errors,
      bytesFromCache: this.bytesFromCache,
      bytesFromNetwork: this.bytesFromNetwork,
      bytesFromRemote: this.bytesFromRemote,
      remoteErrors: remote?.remoteErrors ?? 0,
      uploads: remote?.uploads ?? 0,
      revalidations: this.revalidations,
      revalidated: this.revalidated,
      checksBorrowed,
      withoutValidators: this.withoutValidators,
      hitRate: cacheable ? hits / cacheable : 0,
    };
  }
}

/** Which bucket of `stats()` one request ended in: exactly one, whatever happens to it. */
export type Bucket = 'misses' | 'bypassed' | 'aborted';

/** One request a way in (the route, the proxy) handles, counted in exactly one bucket of `stats()`. */
export class Visit {
  readonly #stats: StatsCounter;
  /** It matched a rule: a failure before it was answered counts as a miss, not as bypassed. */
  cacheable = false;
  #counted = false;

  constructor(stats: StatsCounter) {
    this.#stats = stats;
    stats.requests++;
  }

  get counted(): boolean {
    return this.#counted;
  }

  /** Answered from a tier or the origin. */
  served(source: ServeSource, bytes: number): void {
    this.#counted = true;
    this.#stats.served(source, bytes);
  }

  end(bucket: Bucket): void {
    this.#counted = true;
    this.#stats[bucket]++;
  }

  /** After an unforeseen failure: the bucket it falls in, unless it was counted already. */
  endUnlessCounted(closed: boolean): void {
    if (!this.#counted)
      this.end(closed ? 'aborted' : this.cacheable ? 'misses' : 'bypassed');
  }
}
