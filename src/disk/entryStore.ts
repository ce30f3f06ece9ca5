import path from 'node:path';
import { BundleCacheError, errnoCode } from '../errors.js';
import { entryPaths, type EntryPaths } from '../keys/entryPaths.js';
import { clearDebris, writeEntry } from './entryWrite.js';
import type { HeldLock } from './locks.js';
import { metaSchema, sha256Hex, type CachedResponse, type EntryMeta } from '../core/meta.js';
import { refreshMeta, type MetaRefresh } from './metaRefresh.js';
import { DIR_MODE } from './modes.js';
import type { StoreFs } from './storeFs.js';


export type ReadResult =
  | { readonly kind: 'absent' }
  | { readonly kind: 'found'; readonly response: CachedResponse }
  | { readonly kind: 'corrupt'; readonly error: BundleCacheError };

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

  /**
   * The entry of `key`, checked: meta.json parsed and of this key, the body of
   * its size and sha256. With `known`, a copy read and checked before (the
   * memory tier's, or this store's own without the lock): when meta.json still
   * names that body (same sha256, size and store time), its bytes are reused
   * instead of being read and hashed again, with the meta.json on disk now.
   */
  async read(key: string, url: string, known?: CachedResponse): Promise<ReadResult> {
    const paths = this.paths(key, url);
    let metaText: Buffer;
    try {
      metaText = await this.#fs.readFile(paths.meta);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT')
        return await this.#fs.lstat(paths.body).then(() => corrupt(paths, 'body without meta.json (deleted, or an interrupted first write)'), () => ({ kind: 'absent' as const }));
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
    if (known && sameBody(known, meta))
      return { kind: 'found', response: { meta, body: known.body } };
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
   * Writes body then meta, each atomically, under the key's lock (see
   * `writeEntry`): a failed write keeps the previous entry, a lost lock
   * abandons the write.
   */
  async write(response: CachedResponse, lock: HeldLock): Promise<void> {
    const paths = this.paths(response.meta.key, response.meta.url);
    try {
      await this.ensureDir(paths.dir);
      await writeEntry(this.#fs, paths, response, lock);
    } catch (error) {
      if (error instanceof BundleCacheError)
        throw error;
      throw new BundleCacheError('ERR_STORE_FAILED',
          `Could not store ${response.meta.url} under ${paths.stem} (${errnoCode(error) ?? (error as Error).message}); served from the network instead. Check free space and permissions of ${this.root}.`,
          { url: response.meta.url, stem: paths.stem, errno: errnoCode(error) }, { cause: error });
    }
  }

  /**
   * Rewrites only meta.json after a 304, if the entry on disk is still the
   * one validated (see `refreshMeta`).
   */
  async refreshMeta(meta: EntryMeta, lock: HeldLock): Promise<MetaRefresh> {
    const paths = this.paths(meta.key, meta.url);
    try {
      return await refreshMeta(this.#fs, paths, meta, lock);
    } catch (error) {
      if (error instanceof BundleCacheError)
        throw error;
      throw new BundleCacheError('ERR_STORE_FAILED',
          `Could not refresh ${paths.meta} after a 304 (${errnoCode(error) ?? (error as Error).message}); the previous entry is kept. Check free space and permissions of ${this.root}.`,
          { url: meta.url, stem: paths.stem, errno: errnoCode(error) }, { cause: error });
    }
  }

  /** Call right after taking the key's lock: see `clearDebris`. Best effort, never throws. */
  async clearDebris(paths: EntryPaths): Promise<void> {
    await clearDebris(this.#fs, paths);
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

  /** Creates the entry's host directory (0700), refusing a planted link; the key's lock lives there too. */
  async ensureDir(dir: string): Promise<void> {
    // Checked on every miss, not remembered: `bundle-cache clear` may remove the directory meanwhile.
    // `v1/` as a link would carry the host dir, and the chmod below, somewhere else.
    const formatDir = await this.#fs.lstat(path.dirname(dir)).catch(() => undefined);
    if (formatDir?.isSymbolicLink())
      throw new BundleCacheError('ERR_UNSAFE_PATH', `${path.dirname(dir)} is a symbolic link, where the cache's own directory belongs; not following it. Remove it.`, { path: path.dirname(dir) });
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

function corrupt(paths: EntryPaths, reason: string, cause?: unknown, details: Record<string, unknown> = {}): ReadResult {
  return {
    kind: 'corrupt',
    error: new BundleCacheError('ERR_CORRUPT_ENTRY', `Corrupt cache entry ${paths.stem}: ${reason}; it will be refetched.`, { stem: paths.stem, ...details }, { cause }),
  };
}

/** `known` holds exactly the body `meta` names: its bytes were checked against that sha256 when they were read. */
function sameBody(known: CachedResponse, meta: EntryMeta): boolean {
  return known.meta.key === meta.key && known.meta.sha256 === meta.sha256 && known.meta.size === meta.size
    && known.meta.storedAt === meta.storedAt && known.body.length === meta.size;
}
