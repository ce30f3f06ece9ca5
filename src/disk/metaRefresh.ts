import { BundleCacheError } from '../errors.js';
import type { EntryPaths } from '../keys/entryPaths.js';
import type { HeldLock } from './locks.js';
import { metaSchema, type EntryMeta } from '../core/meta.js';
import { FILE_MODE } from './modes.js';
import type { StoreFs } from './storeFs.js';

/**
 * Replaces only the meta.json of an entry after a `304`: its body is not
 * touched. Written atomically under the key's lock, and only if the entry on
 * disk is still the body the validators were sent for (same key, sha256 and
 * storedAt): a 304 must never put one body's headers on another body. Returns
 * false when the entry changed or is gone, so the caller keeps what is there.
 */
export async function refreshMeta(fs: StoreFs, paths: EntryPaths, refreshed: EntryMeta, lock: HeldLock): Promise<boolean> {
  const current = await currentMeta(fs, paths);
  if (!current || current.key !== refreshed.key || current.sha256 !== refreshed.sha256 || current.storedAt !== refreshed.storedAt || current.size !== refreshed.size)
    return false;
  const stat = await fs.lstat(paths.meta);
  if (stat.isSymbolicLink())
    throw new BundleCacheError('ERR_UNSAFE_PATH', `Found a symbolic link at ${paths.meta}, where a cache file belongs; not following it. Remove it.`, { path: paths.meta });
  await fs.writeFileAtomic(paths.meta, `${JSON.stringify(refreshed, null, 2)}\n`, FILE_MODE, () => lock.verify());
  return true;
}

async function currentMeta(fs: StoreFs, paths: EntryPaths): Promise<EntryMeta | undefined> {
  try {
    const parsed = metaSchema.safeParse(JSON.parse((await fs.readFile(paths.meta)).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
