import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../errors.js';
import { DEFAULTS } from '../options/resolve.js';
import { CliError } from './cliError.js';
import type { CliIo } from './io.js';

/** The cache dir a command works on, and where that choice came from (for the message when it is wrong). */
export interface CacheDirChoice {
  readonly dir: string;
  readonly from: '--dir' | '$BUNDLE_CACHE_DIR' | 'default';
}

/** `--dir`, else `$BUNDLE_CACHE_DIR`, else the library's default, as the library resolves them (against the working directory). */
export function chooseCacheDir(io: CliIo, flag: string | undefined): CacheDirChoice {
  const from = flag !== undefined ? '--dir' : io.env.BUNDLE_CACHE_DIR ? '$BUNDLE_CACHE_DIR' : 'default';
  return { dir: path.resolve(io.cwd, flag ?? (io.env.BUNDLE_CACHE_DIR || DEFAULTS.dir)), from };
}

/**
 * Fails with `ERR_NO_CACHE` (exit 1) unless the dir exists as a directory:
 * a mistyped `--dir` must not read as an empty cache. An existing directory
 * with nothing in it is an empty cache, which is fine.
 */
export async function requireCacheDir(choice: CacheDirChoice): Promise<void> {
  const problem = await fsp.stat(choice.dir).then(
      stat => stat.isDirectory() ? undefined : { what: 'it is a file, not a directory', fix: 'pass the cache directory itself (--dir, $BUNDLE_CACHE_DIR).' },
      (error: unknown) => {
        const code = errnoCode(error) ?? String(error);
        if (code === 'ENOENT' || code === 'ENOTDIR') {
          return {
            what: 'the directory does not exist',
            fix: 'check the path (--dir, $BUNDLE_CACHE_DIR); a cache dir is created by its first use (BundleCache.open(), the test fixture, or `bundle-cache warm`).',
          };
        }
        return { what: `it cannot be read (${code === 'EACCES' || code === 'EPERM' ? 'permission denied, ' : ''}${code})`, fix: 'run as a user who may read it, or pass another --dir.' };
      });
  if (!problem)
    return;
  const given = choice.from === 'default' ? `the default ${DEFAULTS.dir}, in the working directory` : `from ${choice.from}`;
  throw new CliError('ERR_NO_CACHE', `no cache at ${choice.dir}: ${problem.what} (${given}). Fix: ${problem.fix}`);
}
