import path from 'node:path';
import { isTempOf } from '../disk/atomicWrite.js';
import type { HeldLock } from '../disk/locks.js';
import { DIR_MODE, FILE_MODE } from '../disk/modes.js';
import { prepareRoot } from '../disk/root.js';
import type { StoreFs } from '../disk/storeFs.js';
import { BundleCacheError, errnoCode } from '../errors.js';
import type { SessionPaths } from './fingerprint.js';

/**
 * The files of the session tier: `<root>/sessions/` (0700 whatever the
 * umask, never through a link), one `<slug>-<hash>.json` per entry (0600,
 * written atomically under the entry's lock, like a bundle entry's meta.json).
 */

/** Creates `<root>` and `<root>/sessions/`; refuses a link or a file where the directory belongs. */
export async function ensureSessionsDir(root: string, dir: string, fs: StoreFs): Promise<void> {
  await prepareRoot(root, fs);
  const existing = await fs.lstat(dir).catch(error => {
    if (errnoCode(error) === 'ENOENT')
      return undefined;
    throw error;
  });
  if (existing?.isSymbolicLink())
    throw new BundleCacheError('ERR_UNSAFE_PATH', `${dir} is a symbolic link; refusing to follow it. Fix: remove it; the cache makes the directory itself.`, { path: dir });
  if (existing && !existing.isDirectory())
    throw new BundleCacheError('ERR_UNSAFE_PATH', `${dir} exists and is not a directory. Fix: remove that file; the cache makes the directory itself.`, { path: dir });
  if (!existing)
    await fs.mkdir(dir, DIR_MODE);
  // mkdir's mode is filtered by the umask; make sure, whatever the umask.
  await fs.chmod(dir, DIR_MODE);
}

/**
 * The file's text, or undefined when there is none. Never follows a link:
 * one planted at the file is removed and reported (`ERR_UNSAFE_PATH`).
 */
export async function readSessionFile(fs: StoreFs, file: string): Promise<string | undefined> {
  try {
    return (await fs.readFile(file)).toString('utf8');
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR')
      return undefined;
    if (code === 'ELOOP') {
      await fs.unlink(file).catch(() => {});
      throw new BundleCacheError('ERR_UNSAFE_PATH', `Found a symbolic link at ${file}, where a session file belongs; removed it without following it.`, { path: file });
    }
    throw error;
  }
}

/** Atomic, 0600, and renamed into place only while `lock` is still ours. */
export async function writeSessionFile(fs: StoreFs, paths: SessionPaths, text: string, lock: HeldLock): Promise<void> {
  await fs.writeFileAtomic(paths.file, text, FILE_MODE, () => lock.verify());
}

/** Removes the temp files dead writers of this entry left. Call right after taking its lock: holding it proves them dead. */
export async function clearSessionDebris(fs: StoreFs, paths: SessionPaths): Promise<void> {
  const base = path.basename(paths.file);
  for (const { name } of await fs.readdir(paths.dir).catch(() => [])) {
    if (isTempOf(base, name))
      await fs.unlink(path.join(paths.dir, name)).catch(() => {});
  }
}

/** The `.json` files in the sessions directory (none when it does not exist). */
export async function listSessionFiles(fs: StoreFs, dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir).catch(error => {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR')
      return [];
    throw error;
  });
  return entries.filter(entry => entry.isFile() && entry.name.endsWith('.json')).map(entry => path.join(dir, entry.name)).sort();
}
