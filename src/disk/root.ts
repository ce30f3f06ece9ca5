import path from 'node:path';
import { BundleCacheError, errnoCode } from '../errors.js';
import { DIR_MODE, FILE_MODE } from './modes.js';
import type { StoreFs } from './storeFs.js';

const CACHEDIR_TAG = `Signature: 8a477f597d28d172789f06886806bc55
# This file is a cache directory tag created by playwright-bundle-cache.
# For information about cache directory tags, see https://bford.info/cachedir/
`;

const DIR_OPTION = 'Invalid bundle-cache option "dir": ';

/** What prepareRoot was doing when the file system said no: the words of its message. */
type Step = 'reach' | 'create' | 'make private' | 'write CACHEDIR.TAG in';

/**
 * Creates the cache root (0700) with its CACHEDIR.TAG. A root that is a
 * symbolic link is refused rather than followed; a root that other users can
 * write to is tightened when it is ours and refused when it is not. A root
 * the file system will not let us use is an `ERR_OPTIONS` naming `dir`, the
 * path, why and the fix; nothing in it is changed on the way.
 */
export async function prepareRoot(root: string, fs: StoreFs): Promise<void> {
  let step: Step = 'reach';
  const at = <T>(next: Step, work: () => Promise<T>): Promise<T> => {
    step = next;
    return work();
  };
  try {
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
      throw new BundleCacheError('ERR_OPTIONS', `${DIR_OPTION}the cache dir ${root} exists and is not a directory. Fix: pass another \`dir\`, or remove that file.`, { option: 'dir', path: root });
    if (!existing) {
      await at('create', () => fs.mkdir(root, DIR_MODE));
      // mkdir's mode is filtered by the umask; make sure, whatever the umask.
      await fs.chmod(root, DIR_MODE).catch(() => {});
    } else if ((existing.mode & 0o077) !== 0) {
      const mine = process.getuid === undefined || existing.uid === process.getuid();
      if (!mine && (existing.mode & 0o022) !== 0) {
        throw new BundleCacheError('ERR_UNSAFE_PATH',
            `Cache dir ${root} belongs to another user and others can write to it. Fix: pass a \`dir\` of your own.`,
            { path: root, uid: existing.uid });
      }
      // A sticky directory everyone may write to is a shared one (/tmp): making it 0700 would lock everyone else out.
      if ((existing.mode & 0o1002) === 0o1002) {
        throw new BundleCacheError('ERR_OPTIONS',
            `${DIR_OPTION}the cache dir ${root} is a shared directory (writable by everyone, sticky, like /tmp); the cache would make it private. Fix: pass a subdirectory of it as \`dir\`, e.g. ${path.join(root, 'bundle-cache')}.`,
            { option: 'dir', path: root });
      }
      if (mine)
        await at('make private', () => fs.chmod(root, DIR_MODE));
    }
    const tag = path.join(root, 'CACHEDIR.TAG');
    if (!(await fs.lstat(tag).catch(() => undefined)))
      await at('write CACHEDIR.TAG in', () => fs.writeFileAtomic(tag, CACHEDIR_TAG, FILE_MODE));
  } catch (error) {
    if (error instanceof BundleCacheError)
      throw error;
    throw await unusableRoot(root, step, error, fs);
  }
}

/** The file system refused `root`: say which part of its path is in the way and what to do. */
async function unusableRoot(root: string, step: Step, error: unknown, fs: StoreFs): Promise<BundleCacheError> {
  const code = errnoCode(error) ?? 'unknown';
  const ancestor = await nearestExisting(root, fs);
  const reason = await explain(code, error, root, ancestor, fs);
  return new BundleCacheError('ERR_OPTIONS',
      `${DIR_OPTION}cannot ${step} the cache dir ${root}: ${reason.why} (${code}). Fix: ${reason.fix}`,
      { option: 'dir', path: root, errno: code, step, ...ancestor ? { blockedAt: ancestor } : {} },
      { cause: error });
}

async function explain(code: string, error: unknown, root: string, ancestor: string | undefined, fs: StoreFs): Promise<{ why: string; fix: string }> {
  const other = 'pass another `dir`';
  switch (code) {
    case 'ENOTDIR': {
      const file = ancestor && !(await fs.lstat(ancestor).then(stat => stat.isDirectory(), () => true)) ? ancestor : undefined;
      return {
        why: file ? `${file} is a file, not a directory` : 'a part of its path is not a directory',
        fix: `${other} (one that is not under a file)${file ? `, or move ${file} out of the way` : ''}.`,
      };
    }
    case 'EACCES':
    case 'EPERM': {
      const uid = process.getuid?.();
      return {
        why: `permission denied${ancestor && ancestor !== root ? ` under ${ancestor}` : ''}`,
        fix: `${other} that ${uid === undefined ? 'you' : `this user (uid ${uid})`} can write to, or give this user write access to ${ancestor ?? root}.`,
      };
    }
    case 'ELOOP':
      return { why: 'its path goes through a loop of symbolic links', fix: `${other}, or repair the symbolic links on the path to ${root}.` };
    case 'ENAMETOOLONG':
      return { why: 'the path is too long for the file system', fix: `${other} with a shorter path.` };
    case 'EROFS':
      return { why: 'the file system is read-only', fix: `${other} on a writable file system.` };
    case 'ENOSPC':
    case 'EDQUOT':
      return { why: 'the disk (or this user\'s quota) is full', fix: `free some space, or ${other} on another disk.` };
    default:
      return { why: `the file system refused it: ${String((error as Error)?.message ?? error).split('\n')[0]}`, fix: `check that this user can create and write ${root}, or ${other}.` };
  }
}

/** The deepest path on the way to `root` that exists (the one in the way, when it is a file). */
async function nearestExisting(root: string, fs: StoreFs): Promise<string | undefined> {
  for (let at = root; ; at = path.dirname(at)) {
    if (await fs.lstat(at).then(() => true, () => false))
      return at;
    if (path.dirname(at) === at)
      return undefined;
  }
}
