import { LockManager } from '../../disk/locks.js';
import { nodeStoreFs } from '../../disk/storeFs.js';
import { VersionsIndex } from '../../disk/versionsIndex.js';

/** The cache's VersionsIndex; `read()` never locks, `update()` takes the index lock as writers do. */
export function versionsIndex(dir: string, now: () => number, locks = new LockManager()): VersionsIndex {
  return new VersionsIndex(dir, nodeStoreFs, locks, now);
}

/** cache_versions.json as on disk, or rebuilt in memory from the sidecars when lost or damaged. */
export function readIndex(dir: string, now: number) {
  return versionsIndex(dir, () => now).read();
}
