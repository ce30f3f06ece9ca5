import { asCacheError, type BundleCacheError } from '../errors.js';
import type { CacheRequest } from '../engine/parts.js';
import type { Tier } from '../engine/tier.js';
import { log } from '../log.js';
import type { EntryStore } from './entryStore.js';
import type { HeldLock } from './locks.js';
import type { CachedResponse } from './meta.js';

/**
 * The disk tier as the resolver walks it: entries read without a lock and
 * checked (key, size, sha256), written only under the key's lock.
 */
export class DiskTier implements Tier {
  readonly name = 'disk';
  readonly store: EntryStore;
  readonly #report: (error: BundleCacheError, url?: string) => void;

  constructor(store: EntryStore, report: (error: BundleCacheError, url?: string) => void) {
    this.store = store;
    this.#report = report;
  }

  async lookup(request: CacheRequest, locked: boolean, known?: CachedResponse): Promise<CachedResponse | undefined> {
    const read = await this.store.read(request.key, request.url, known);
    if (read.kind === 'corrupt') {
      // Unlocked, a mismatch may be a write in progress; under the lock it is damage.
      if (locked)
        this.#report(read.error, request.url);
      return undefined;
    }
    return read.kind === 'found' ? read.response : undefined;
  }

  async fill(response: CachedResponse, lock: HeldLock | undefined): Promise<boolean> {
    return lock !== undefined && await this.write(response, lock) === undefined;
  }

  /** Writes body then meta.json under the key's lock; a failure is reported, returned, and keeps the previous entry. */
  async write(response: CachedResponse, lock: HeldLock): Promise<BundleCacheError | undefined> {
    try {
      await this.store.write(response, lock);
      return undefined;
    } catch (error) {
      const cacheError = asCacheError(error);
      this.#report(cacheError, response.meta.url);
      log.debug(`not stored ${response.meta.url}: ${cacheError.code}`);
      return cacheError;
    }
  }
}
