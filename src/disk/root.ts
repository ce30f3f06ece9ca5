import path from 'node:path';
import { BundleCacheError, errnoCode } from '../errors.js';
import { DIR_MODE, FILE_MODE } from './modes.js';
import type { StoreFs } from './storeFs.js';

const CACHEDIR_TAG = `Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by playwright-bundle-cache.
# For information about cache directory tags, see https://bford.info/cachedir/
`;

/**
 * Creates the cache root (0700) with its CACHEDIR.TAG. A root that is a
 * symbolic link is refused rather than followed; a root that other users can
 * write to is tightened when it is ours and refused when it is not.
 */
export async function prepareRoot(root: string, fs: StoreFs): Promise<void> {
  const existing = await fs.lstat(root).catch(error => {
    if (errnoCode(error) === 'ENOENT')
      return undefined;
    throw error;
  });
  if (existing?.isSymbolicLink()) {
    throw new BundleCacheError('ERR_UNSAFE_PATH',
        `Cache dir ${root} is a symbolic link; refusing to follow it. Fix: pass the real directory as \`dir\` if the link is intended.`,
        { path: root });
  }
  if (existing && !existing.isDirectory())
    throw new BundleCacheError('ERR_OPTIONS', `Cache dir ${root} exists and is not a directory. Fix: pass another \`dir\`, or remove that file.`, { option: 'dir', path: root });
  if (!existing) {
    await fs.mkdir(root, DIR_MODE);
  } else if ((existing.mode & 0o077) !== 0) {
    const mine = process.getuid === undefined || existing.uid === process.getuid();
    if (!mine && (existing.mode & 0o022) !== 0) {
      throw new BundleCacheError('ERR_UNSAFE_PATH',
          `Cache dir ${root} belongs to another user and others can write to it. Fix: pass a \`dir\` of your own.`,
          { path: root, uid: existing.uid });
    }
    if (mine)
      await fs.chmod(root, DIR_MODE);
  }
  // mkdir's mode is filtered by the umask; make sure, whatever the umask.
  await fs.chmod(root, DIR_MODE).catch(() => {});
  const tag = path.join(root, 'CACHEDIR.TAG');
  if (!(await fs.lstat(tag).catch(() => undefined)))
    await fs.writeFileAtomic(tag, CACHEDIR_TAG, FILE_MODE);
}
