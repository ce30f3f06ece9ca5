import { isBundleCacheError } from '../../errors.js';
import type { LockManager } from '../../disk/locks.js';

/**
 * Runs `work` holding the lock writers take on `base` (an entry's stem, or
 * cache_versions.json). One attempt, no wait: a lock refreshed by a live
 * writer means that entry is being written, so it is left alone ('busy');
 * a stale lock is taken over, which is how stale locks get cleaned.
 */
export async function underLock<T>(locks: LockManager, base: string, work: () => Promise<T>): Promise<{ busy: false; value: T } | { busy: true }> {
  let lock;
  try {
    lock = await locks.acquire(base, 0);
  } catch (error) {
    if (isBundleCacheError(error, 'ERR_LOCK_TIMEOUT'))
      return { busy: true };
    throw error;
  }
  try {
    return { busy: false, value: await work() };
  } finally {
    await lock.release();
  }
}
