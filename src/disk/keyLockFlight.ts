import { asCacheError, type BundleCacheError } from '../errors.js';
import type { Claim, Flight } from '../core/flight.js';
import type { CacheRequest } from '../core/request.js';
import type { EntryStore } from './entryStore.js';
import type { LockManager } from './locks.js';

/** How long to wait for another process that is fetching the same key before going on without the lock (and without storing). */
export const KEY_LOCK_TIMEOUT_MS = 60_000;

/**
 * Single flight across the processes of one cache dir: the key's lock file.
 * The holder goes past the disk tier (to the remote, the origin) and writes
 * what it gets; the others wait for the lock, then find it on disk.
 */
export class KeyLockFlight implements Flight {
  readonly guards = 'disk';
  readonly #store: EntryStore;
  readonly #locks: LockManager;
  readonly #timeoutMs: number;
  readonly #report: (error: BundleCacheError, url?: string) => void;

  constructor(store: EntryStore, locks: LockManager, timeoutMs: number, report: (error: BundleCacheError, url?: string) => void) {
    this.#store = store;
    this.#locks = locks;
    this.#timeoutMs = timeoutMs;
    this.#report = report;
  }

  async claim(request: CacheRequest): Promise<Claim<never>> {
    const paths = this.#store.paths(request.key, request.url);
    try {
      await this.#store.ensureDir(paths.dir);
      const lock = await this.#locks.acquire(paths.base, this.#timeoutMs);
      await this.#store.clearDebris(paths);
      return { kind: 'lead', release: () => lock.release() };
    } catch (error) {
      const cacheError = asCacheError(error);
      this.#report(cacheError, request.url);
      return { kind: 'alone', reason: cacheError.message };
    }
  }
}
