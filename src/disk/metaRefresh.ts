import { BundleCacheError } from '../errors.js';
import type { EntryPaths } from '../keys/entryPaths.js';
import type { HeldLock } from './locks.js';
import { metaSchema, type EntryMeta } from '../core/meta.js';
import { FILE_MODE } from './modes.js';
import type { StoreFs } from './storeFs.js';

/**
 * What `refreshMeta` did: rewrote meta.json of this very body; found
 * another body stored at the same time or later (left as it is); or found an
 * older body, or none.
 */
export type MetaRefresh = 'refreshed' | 'newer-body' | 'other-body';

/**
 * Replaces only the meta.json of an entry whose body is on disk already
 * (after a `304`, or a copy from another tier): its body is not touched.
 * Written atomically under the key's lock, and only if the entry on disk is
 * that very body (same key, sha256, size and storedAt): a 304 must never put
 * one body's headers on another body.
 */
export async function refreshMeta(fs: StoreFs, paths: EntryPaths, refreshed: EntryMeta, lock: HeldLock): Promise<MetaRefresh> {
  const current = await currentMeta(fs, paths);
  if (!current || current.key !== refreshed.key)
    return 'other-body';
  if (current.sha256 !== refreshed.sha256 || current.storedAt !== refreshed.storedAt || current.size !== refreshed.size)
    return Date.parse(current.storedAt) >= Date.parse(refreshed.storedAt) ? 'newer-body' : 'other-body';
  const stat = await fs.lstat(paths.meta);
  if (stat.isSymbolicLink())
    throw new BundleCacheError('ERR_UNSAFE_PATH', `Found a symbolic link at ${paths.meta}, where a cache file belongs; not following it. Remove it.`, { path: paths.meta });
  await fs.writeFileAtomic(paths.meta, `${JSON.stringify(refreshed, null, 2)}\n`, FILE_MODE, () => lock.verify());
  return 'refreshed';
}

async function currentMeta(fs: StoreFs, paths: EntryPaths): Promise<EntryMeta | undefined> {
  try {
    const parsed = metaSchema.safeParse(JSON.parse((await fs.readFile(paths.meta)).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
