import type { EntryStore } from '../../src/disk/entryStore.js';
import type { LockManager } from '../../src/disk/locks.js';
import type { CachedResponse } from '../../src/core/meta.js';
import type { SupersededEntry, VersionsIndex } from '../../src/disk/versionsIndex.js';

/**
 * Stores `response` as the resolver does, without a fetch: the host
 * directory, the key's lock, the debris of a dead writer cleared, body then
 * meta.json; `afterWrite` runs while the lock is still held. Then, with
 * `index`, cache_versions.json records it and superseded versions are
 * removed. For the tests' fixtures and the guarantee suite's writers.
 */
export async function storeEntry(
  at: { store: EntryStore; locks: LockManager; index?: VersionsIndex },
  response: CachedResponse,
  options: { lockTimeoutMs?: number; afterWrite?: () => void } = {},
): Promise<SupersededEntry[]> {
  const { store, locks, index } = at;
  const paths = store.paths(response.meta.key, response.meta.url);
  await store.ensureDir(paths.dir);
  const lock = await locks.acquire(paths.base, options.lockTimeoutMs ?? 60_000);
  try {
    await store.clearDebris(paths);
    await store.write(response, lock);
    options.afterWrite?.();
  } finally {
    await lock.release();
  }
  if (!index)
    return [];
  const superseded = await index.recordStored([{ meta: response.meta, stem: paths.stem }]);
  for (const old of superseded)
    await store.remove(store.paths(old.key, old.url));
  return superseded;
}
