import { createHash } from 'node:crypto';
import path from 'node:path';
import { BundleCacheError, errnoCode } from '../errors.js';
import { entryPaths, type EntryPaths } from '../keys/entryPaths.js';
import type { HeldLock } from './locks.js';
import { metaSchema, type CachedResponse } from './meta.js';
import type { StoreFs } from './storeFs.js';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;
/** The previous body, kept while a new one is being written. */
export const BACKUP_SUFFIX = '.prev';

export type ReadResult =
  | { readonly kind: 'absent' }
  | { readonly kind: 'found'; readonly response: CachedResponse }
  | { readonly kind: 'corrupt'; readonly error: BundleCacheError };

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The disk tier's entries: `<stem>.body` and its `<stem>.meta.json` sidecar.
 * Readers never lock: a writer renames the body into place before the meta,
 * and every read checks the meta's key, size and sha256 against the body.
 */
export class EntryStore {
  readonly root: string;
  readonly #fs: StoreFs;

  constructor(root: string, fs: StoreFs) {
    this.root = root;
    this.#fs = fs;
  }

  paths(key: string, url: string): EntryPaths {
    return entryPaths(this.root, key, url);
  }

  async read(key: string, url: string): Promise<ReadResult> {
    const paths = this.paths(key, url);
    let metaText: Buffer;
    try {
      metaText = await this.#fs.readFile(paths.meta);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT')
        return { kind: 'absent' };
      return corrupt(paths, `meta.json unreadable (${errnoCode(error) ?? (error as Error).message})`, error);
    }
    let json: unknown;
    try {
      json = JSON.parse(metaText.toString('utf8'));
    } catch (error) {
      return corrupt(paths, 'meta.json is not valid JSON', error);
    }
    const parsed = metaSchema.safeParse(json);
    if (!parsed.success)
      return corrupt(paths, `meta.json does not match format version 1 (${parsed.error.issues[0]?.path.join('.') || 'root'}: ${parsed.error.issues[0]?.message})`);
    const meta = parsed.data;
    if (meta.key !== key)
      return corrupt(paths, `meta.json belongs to another key (${meta.key})`);
    let body: Buffer;
    try {
      body = await this.#fs.readFile(paths.body);
    } catch (error) {
      return corrupt(paths, `body unreadable (${errnoCode(error) ?? (error as Error).message})`, error);
    }
    if (body.length !== meta.size)
      return corrupt(paths, `body is ${body.length} bytes, meta.json says ${meta.size}`, undefined, { expectedSize: meta.size, foundSize: body.length });
    const digest = sha256Hex(body);
    if (digest !== meta.sha256)
      return corrupt(paths, `body sha256 is ${digest}, meta.json says ${meta.sha256}`, undefined, { expected: meta.sha256, found: digest });
    return { kind: 'found', response: { meta, body } };
  }

  /**
   * Writes body then meta, each atomically. The caller holds the key's lock;
   * if it is compromised before a rename, the write is abandoned. If any step
   * fails, the previous entry of the key is put back as it was (its body is
   * kept as a hard link until the new meta has landed), so a failed write
   * never costs a good entry.
   */
  async write(response: CachedResponse, lock: HeldLock): Promise<void> {
    const paths = this.paths(response.meta.key, response.meta.url);
    const backup = `${paths.body}${BACKUP_SUFFIX}`;
    let backedUp = false;
    try {
      await this.ensureDir(paths.dir);
      // Before the backup: a planted link must be removed, never backed up and restored.
      await this.#refuseSymlink(paths.body);
      await this.#refuseSymlink(paths.meta);
      await this.#fs.unlink(backup).catch(() => {});
      backedUp = await this.#fs.link(paths.body, backup).then(() => true, () => false);
      assertLockHeld(lock, paths);
      await this.#writeFile(paths.body, response.body);
      assertLockHeld(lock, paths);
      await this.#writeFile(paths.meta, `${JSON.stringify(response.meta, null, 2)}\n`);
    } catch (error) {
      await this.#restore(paths, backedUp ? backup : undefined);
      if (error instanceof BundleCacheError)
        throw error;
      throw new BundleCacheError('ERR_STORE_FAILED',
          `Could not store ${response.meta.url} under ${paths.stem} (${errnoCode(error) ?? (error as Error).message}); served from the network instead. Check free space and permissions of ${this.root}.`,
          { url: response.meta.url, stem: paths.stem, errno: errnoCode(error) }, { cause: error });
    } finally {
      await this.#fs.unlink(backup).catch(() => {});
    }
  }

  /** Puts the previous body back (its meta was never replaced), or removes a body that has no meta. */
  async #restore(paths: EntryPaths, backup: string | undefined): Promise<void> {
    if (backup)
      await this.#fs.rename(backup, paths.body).catch(() => {});
    else
      await this.#fs.unlink(paths.body).catch(() => {});
  }

  /** Removes an entry: meta first, so it stops existing before its body goes. */
  async remove(paths: EntryPaths): Promise<void> {
    for (const file of [paths.meta, paths.body]) {
      await this.#fs.unlink(file).catch(error => {
        if (errnoCode(error) !== 'ENOENT')
          throw error;
      });
    }
  }

  /** Records a use for least-recently-used eviction: the body's mtime is its last access. */
  async touch(paths: EntryPaths, now: number): Promise<void> {
    await this.#fs.utimes(paths.body, new Date(now)).catch(() => {
      // Best effort: a lost touch only makes eviction slightly less precise.
    });
  }

  async #writeFile(file: string, data: Buffer | string): Promise<void> {
    await this.#refuseSymlink(file);
    await this.#fs.writeFileAtomic(file, data, FILE_MODE);
    // A short write that reported success would leave a truncated file: check the size that landed.
    const expected = typeof data === 'string' ? Buffer.byteLength(data) : data.length;
    const written = await this.#fs.lstat(file);
    if (written.size !== expected)
      throw Object.assign(new Error(`short write: ${written.size} of ${expected} bytes`), { code: 'EIO' });
  }

  /** write-file-atomic follows a symlink at the destination; remove a planted one instead. */
  async #refuseSymlink(file: string): Promise<void> {
    const stat = await this.#fs.lstat(file).catch(() => undefined);
    if (stat?.isSymbolicLink()) {
      await this.#fs.unlink(file);
      throw new BundleCacheError('ERR_UNSAFE_PATH', `Found a symbolic link at ${file}, where a cache file belongs; removed it without following it.`, { path: file });
    }
  }

  /** Creates the entry's host directory (0700), refusing a planted link; the key's lock lives there too. */
  async ensureDir(dir: string): Promise<void> {
    // Checked on every miss, not remembered: `bundle-cache clear` may remove the directory meanwhile.
    const existing = await this.#fs.lstat(dir).catch(() => undefined);
    if (existing?.isDirectory() && (existing.mode & 0o777) === DIR_MODE)
      return;
    try {
      await this.#makeDir(dir);
    } catch (error) {
      if (error instanceof BundleCacheError)
        throw error;
      throw new BundleCacheError('ERR_STORE_FAILED', `Could not create ${dir} (${errnoCode(error) ?? (error as Error).message}). Check free space and permissions of ${this.root}.`, { path: dir, errno: errnoCode(error) }, { cause: error });
    }
  }

  async #makeDir(dir: string): Promise<void> {
    await this.#fs.mkdir(dir, DIR_MODE);
    const stat = await this.#fs.lstat(dir);
    if (!stat.isDirectory())
      throw new BundleCacheError('ERR_UNSAFE_PATH', `${dir} is not a directory (a symbolic link or file was planted there); remove it.`, { path: dir });
    // mkdir's mode is filtered by the umask; 0700 must hold under any umask (for `v1/` too).
    await this.#fs.chmod(dir, DIR_MODE);
    await this.#fs.chmod(path.dirname(dir), DIR_MODE);
  }
}

function assertLockHeld(lock: HeldLock, paths: EntryPaths): void {
  if (lock.compromised)
    throw new BundleCacheError('ERR_LOCK_COMPROMISED', `Lock for ${paths.stem} was taken over by another process; abandoned this write.`, { stem: paths.stem });
}

function corrupt(paths: EntryPaths, reason: string, cause?: unknown, details: Record<string, unknown> = {}): ReadResult {
  return {
    kind: 'corrupt',
    error: new BundleCacheError('ERR_CORRUPT_ENTRY', `Corrupt cache entry ${paths.stem}: ${reason}; it will be refetched.`, { stem: paths.stem, ...details }, { cause }),
  };
}
