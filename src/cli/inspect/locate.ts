import { existsSync } from 'node:fs';
import path from 'node:path';
import { FORMAT_DIR, entryPaths } from '../../keys/entryPaths.js';
import { cacheKey, normalizeUrl } from '../../keys/normalizeUrl.js';

/** An entry's stem, found from what the user typed. */
export interface Located {
  /** `v1/<host>/<slug>-<hash>`. */
  readonly stem: string;
  /** Absolute stem. */
  readonly base: string;
  /** How the target was read. */
  readonly as: 'url' | 'key' | 'file';
}

// The suffixes of every file an entry has: body, meta, lock, writer temps (`<file>.<digits>`) and the backup.
const ENTRY_FILE = /(?:\.body|\.meta\.json)(?:\.\d+|\.prev)?$|\.lock$/;

/**
 * Reads `target` as a cache key (`GET https://…`), a URL, or the path of
 * one of an entry's files (absolute, relative to the working directory, or
 * relative to the cache dir). Returns undefined when it is none of these; the
 * entry need not exist.
 */
export function locate(dir: string, target: string, cwd: string): Located | undefined {
  const key = /^([A-Z]+) (https?:\/\/\S+)$/.exec(target);
  if (key)
    return fromUrl(dir, key[1]!, key[2]!, 'key');
  if (/^https?:\/\//i.test(target))
    return fromUrl(dir, 'GET', target, 'url');
  const file = path.isAbsolute(target)
    ? target
    : [path.resolve(cwd, target), path.resolve(dir, target)].find(candidate => existsSync(candidate)) ?? path.resolve(dir, target);
  const stem = path.relative(dir, file.replace(ENTRY_FILE, '')).split(path.sep).join('/');
  // Only `v1/<host>/<name>` under the cache dir: a path elsewhere is no entry of this cache.
  if (stem.startsWith(`${FORMAT_DIR}/`) && stem.split('/').length === 3 && !stem.split('/').includes('..'))
    return { stem, base: path.join(dir, stem), as: 'file' };
  return undefined;
}

function fromUrl(dir: string, method: string, url: string, as: 'url' | 'key'): Located | undefined {
  try {
    const normalized = normalizeUrl(url);
    const paths = entryPaths(dir, cacheKey(method, normalized), normalized);
    return { stem: paths.stem, base: paths.base, as };
  } catch {
    return undefined;
  }
}
