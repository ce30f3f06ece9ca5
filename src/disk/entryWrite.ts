import path from 'node:path';
import { BundleCacheError, errnoCode } from '../errors.js';
import type { EntryPaths } from '../keys/entryPaths.js';
import { isTempOf } from './atomicWrite.js';
import type { HeldLock } from './locks.js';
import type { CachedResponse } from '../core/meta.js';
import { FILE_MODE } from './modes.js';
import type { StoreFs } from './storeFs.js';

/** The previous body, kept while a new one is being written. */
export const BACKUP_SUFFIX = '.prev';

/** Errors of `link()` that mean "this file system has no hard links", not "something is wrong". */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK', 'ENOSYS']);

type Previous = 'none' | 'kept' | 'unprotected';

/**
 * Writes one entry under its lock: body, then meta.json, each atomically,
 * each rename only while `lock.verify()` says the lock is still ours. Until
 * the meta has landed, a failure puts the previous body back (kept as a
 * hard link meanwhile), so a failed write never costs a good entry. A lost
 * lock leaves everything to the new holder: no restore, no cleanup of the
 * shared backup name. (The new holder removed our temp files when it took
 * the lock, see `clearDebris`, so a rename we had already decided on fails.)
 */
export async function writeEntry(fs: StoreFs, paths: EntryPaths, response: CachedResponse, lock: HeldLock): Promise<void> {
  const backup = `${paths.body}${BACKUP_SUFFIX}`;
  const beforeRename = () => lock.verify();
  const metaText = `${JSON.stringify(response.meta, null, 2)}\n`;
  let previous: Previous | undefined;
  try {
    // Before the backup: a planted link must be removed, never backed up and restored.
    await refuseSymlink(fs, paths.body);
    await refuseSymlink(fs, paths.meta);
    previous = await keepPrevious(fs, paths.body, backup);
    // Each checks the size that landed before its rename, and leaves the destination untouched if it throws.
    await fs.writeFileAtomic(paths.body, response.body, FILE_MODE, beforeRename);
    await fs.writeFileAtomic(paths.meta, metaText, FILE_MODE, beforeRename);
  } catch (error) {
    if (!await stillOurs(lock))
      throw lostLock(lock, paths, error);
    if (previous)
      await restore(fs, paths, previous, backup);
    throw error;
  } finally {
    if (await stillOurs(lock))
      await fs.unlink(backup).catch(() => {});
  }
}

/** Checked again after a failure: a rename that failed because a successor removed our temp file means the lock is gone. */
function stillOurs(lock: HeldLock): Promise<boolean> {
  return lock.compromised ? Promise.resolve(false) : lock.verify().then(() => true, () => false);
}

/** Whatever failed (a rename whose temp file a successor removed, say), the reason is the lost lock. */
function lostLock(lock: HeldLock, paths: EntryPaths, cause: unknown): BundleCacheError {
  if (cause instanceof BundleCacheError && cause.code === 'ERR_LOCK_COMPROMISED')
    return cause;
  return new BundleCacheError('ERR_LOCK_COMPROMISED', `Lock ${lock.path} was taken over while writing ${paths.stem}; abandoned the write, the entry is the new holder's.`, { stem: paths.stem }, { cause });
}

/** Hard-links the current body to `backup`; a body that cannot be kept (other than on a file system without hard links) stops the write before it touches anything. */
async function keepPrevious(fs: StoreFs, body: string, backup: string): Promise<Previous> {
  await fs.unlink(backup).catch(() => {});
  try {
    await fs.link(body, backup);
    return 'kept';
  } catch (error) {
    if (errnoCode(error) === 'ENOENT')
      return 'none';
    if (NO_HARD_LINKS.has(errnoCode(error) ?? ''))
      return 'unprotected';
    throw error;
  }
}

/** The meta was never replaced: put the previous body back, or remove a new body that has no meta. */
async function restore(fs: StoreFs, paths: EntryPaths, previous: Previous, backup: string): Promise<void> {
  if (previous === 'kept')
    await fs.rename(backup, paths.body).catch(() => {});
  else if (previous === 'none')
    await fs.unlink(paths.body).catch(() => {});
  // 'unprotected': old meta and new body disagree, so reads see a miss until the next write.
}

/**
 * Removes what dead writers of this stem left: temp files and the backup.
 * Call right after taking the key's lock, before anything slow: holding it
 * proves them dead (a writer only writes under it), a killed writer's
 * half-written 32 MB goes now rather than at the next `bundle-cache clean`,
 * and a frozen writer that lost the lock finds its temp file gone, so its
 * late rename fails instead of landing in the middle of our write.
 */
export async function clearDebris(fs: StoreFs, paths: EntryPaths): Promise<void> {
  const body = path.basename(paths.body);
  const meta = path.basename(paths.meta);
  const names = await fs.readdir(paths.dir).catch(() => []);
  for (const { name } of names) {
    if (isTempOf(body, name) || isTempOf(meta, name) || name === `${body}${BACKUP_SUFFIX}`)
      await fs.unlink(path.join(paths.dir, name)).catch(() => {});
  }
}

/** Rename replaces a link rather than following it, but a planted link is reported and removed all the same. */
async function refuseSymlink(fs: StoreFs, file: string): Promise<void> {
  const stat = await fs.lstat(file).catch(() => undefined);
  if (stat?.isSymbolicLink()) {
    await fs.unlink(file);
    throw new BundleCacheError('ERR_UNSAFE_PATH', `Found a symbolic link at ${file}, where a cache file belongs; removed it without following it.`, { path: file });
  }
}
