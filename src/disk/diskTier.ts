import { asCacheError, type BundleCacheError } from '../errors.js';
import type { CachedResponse } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import type { Tier } from '../core/tier.js';
import { log } from '../log.js';
import type { EntryStore } from './entryStore.js';
import type { LockManager } from './locks.js';

/**
 * The disk tier: entries read without a lock and checked (key, size,
 * sha256), written only while this process holds the key's lock (the
 * resolver takes it, see `KeyLockFlight`). `stored` is told of every new
 * body written (the index, superseded versions, eviction).
 */
export class DiskTier implements Tier {
  readonly name = 'disk';
  readonly role = 'store';
  readonly #store: EntryStore;
  readonly #locks: LockManager;
  readonly #events: DiskEvents;

  constructor(store: EntryStore, locks: LockManager, events: DiskEvents) {
    this.#store = store;
    this.#locks = locks;
    this.#events = events;
  }

  async get(request: CacheRequest, known?: CachedResponse): Promise<CachedResponse | undefined> {
    const paths = this.#store.paths(request.key, request.url);
    const read = await this.#store.read(request.key, request.url, known);
    if (read.kind === 'corrupt') {
      // Unlocked, a mismatch may be a write in progress; under the lock it is damage.
      if (this.#locks.holding(paths.base))
        this.#events.report(read.error, request.url);
      return undefined;
    }
    return read.kind === 'found' ? read.response : undefined;
  }

  served(response: CachedResponse): void {
    const { key, url } = response.meta;
    this.#events.track(this.#store.touch(this.#store.paths(key, url), this.#events.now()));
  }

  /**
   * Writes under the key's lock, which the caller must hold: only meta.json
   * when the entry on disk is this very body (after a 304), else body then
   * meta.json, unless the entry on disk is another body stored at the same
   * time or later (another process's newer build, left as it is: a 304 must
   * never put one body's headers on another). A failure is reported and
   * keeps the previous entry.
   */
  async put(response: CachedResponse): Promise<boolean> {
    const { meta } = response;
    const lock = this.#locks.holding(this.#store.paths(meta.key, meta.url).base);
    if (!lock)
      return false;
    try {
      const refreshed = await this.#store.refreshMeta(meta, lock);
      if (refreshed !== 'other-body')
        return refreshed === 'refreshed';
      await this.#store.write(response, lock);
    } catch (error) {
      const cacheError = asCacheError(error);
      this.#events.report(cacheError, meta.url);
      log.debug(`not stored ${meta.url}: ${cacheError.code}`);
      return false;
    }
    this.#events.stored(response);
    return true;
  }
}

export interface DiskEvents {
  readonly now: () => number;
  report(error: BundleCacheError, url?: string): void;
  /** Background work (touches) that `close()` waits for. */
  track(work: Promise<unknown>): void;
  /** A new body was written (not after a refresh of meta.json alone). */
  stored(response: CachedResponse): void;
}
