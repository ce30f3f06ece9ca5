import path from 'node:path';
import type { HeldLock, LockManager } from '../disk/locks.js';
import type { StoreFs } from '../disk/storeFs.js';
import { BundleCacheError, isBundleCacheError } from '../errors.js';
import { log } from '../log.js';
import { SESSIONS_DIR, sessionPaths, sessionSlug, type Fingerprint, type SessionPaths } from './fingerprint.js';
import { KeyedMutex } from './keyedMutex.js';
import { decodeRecord, encodeRecord, type SessionRecord } from './sessionRecord.js';
import { clearSessionDebris, ensureSessionsDir, listSessionFiles, readSessionFile, writeSessionFile } from './sessionFile.js';

/**
 * How long a process waits for another one warming the same session (a
 * login, a bot check). The holder refreshes its lock all along; a dead
 * holder's lock goes stale after 10 s and is taken over.
 */
export const SESSION_LOCK_TIMEOUT_MS = 5 * 60_000;

/** A read of one entry: its record (when readable), and why its state is unusable, if it is. */
export interface EntryRead {
  readonly record: SessionRecord | undefined;
  /** A damaged file, a wrong key, a link: the state is not used, and the next warm-up replaces it. */
  readonly problem: BundleCacheError | undefined;
}

/** Where a cache's session entries live, and what reads and writes them. */
export interface SessionStoreDeps {
  /** The cache root; session files live in `<root>/sessions/`. */
  readonly root: string;
  readonly fs: StoreFs;
  readonly locks: LockManager;
  /** The secret that encrypts session files, if one is set. */
  readonly secret: string | undefined;
  /** Called with a link found (and removed) where a session file belongs. */
  report(error: BundleCacheError): void;
}

/**
 * The session entries of one cache: lock-free reads (writes are atomic,
 * so a reader sees the old file or the new one), and a critical section
 * per entry that holds the in-process mutex and the cross-process lock.
 */
export class SessionStore {
  readonly #deps: SessionStoreDeps;
  readonly #mutex = new KeyedMutex();

  constructor(deps: SessionStoreDeps) {
    this.#deps = deps;
  }

  /** The cache root the entries are under. */
  get root(): string {
    return this.#deps.root;
  }

  /** Whether states are written encrypted. */
  get encrypts(): boolean {
    return this.#deps.secret !== undefined;
  }

  /** The entry of `name` for contexts with this fingerprint. */
  pathsOf(name: string, fingerprint: Fingerprint): SessionPaths {
    return sessionPaths(this.#deps.root, name, fingerprint);
  }

  /**
   * The entries of the session `name` on disk (one per user agent, proxy…):
   * files named after it whose header says so. Their state needs no key to
   * be found: the header is never encrypted.
   */
  async entriesOf(name: string): Promise<SessionPaths[]> {
    const dir = path.join(this.#deps.root, SESSIONS_DIR);
    const prefix = `${sessionSlug(name)}-`;
    const found: SessionPaths[] = [];
    for (const file of await listSessionFiles(this.#deps.fs, dir)) {
      if (!path.basename(file).startsWith(prefix))
        continue;
      const text = await readSessionFile(this.#deps.fs, file).catch(() => undefined);
      const decoded = text === undefined ? undefined : decodeRecord(text, undefined);
      if (decoded?.kind !== 'ok' || decoded.record.name !== name || path.basename(file) !== `${prefix}${decoded.record.keyHash}.json`)
        continue;
      found.push({ keyHash: decoded.record.keyHash, dir, stem: file.slice(0, -'.json'.length), file });
    }
    return found;
  }

  async read(paths: SessionPaths, name: string): Promise<EntryRead> {
    let text: string | undefined;
    try {
      text = await readSessionFile(this.#deps.fs, paths.file);
    } catch (error) {
      // A planted link: it is gone already (removed, not followed), so the entry is simply empty now.
      if (isBundleCacheError(error, 'ERR_UNSAFE_PATH')) {
        this.#deps.report(error);
        return { record: undefined, problem: undefined };
      }
      return { record: undefined, problem: unreadable(name, paths, `it could not be read (${(error as Error).message})`, error) };
    }
    if (text === undefined)
      return { record: undefined, problem: undefined };
    const decoded = decodeRecord(text, this.#deps.secret, { name, keyHash: paths.keyHash });
    if (decoded.kind === 'corrupt')
      return { record: undefined, problem: unreadable(name, paths, decoded.reason) };
    return { record: decoded.record, problem: decoded.unreadable ? unreadable(name, paths, decoded.unreadable) : undefined };
  }

  /**
   * Runs `work` as the only writer of this entry, in this process (a mutex,
   * so concurrent callers do not poll the lock) and across processes (the
   * entry's lock).
   */
  async withLock<T>(paths: SessionPaths, work: (lock: HeldLock) => Promise<T>): Promise<T> {
    return this.#mutex.run(paths.file, async () => {
      await ensureSessionsDir(this.#deps.root, paths.dir, this.#deps.fs);
      const lock = await this.#deps.locks.acquire(paths.stem, SESSION_LOCK_TIMEOUT_MS);
      try {
        await clearSessionDebris(this.#deps.fs, paths);
        return await work(lock);
      } finally {
        await lock.release();
      }
    });
  }

  async write(paths: SessionPaths, record: SessionRecord, lock: HeldLock): Promise<void> {
    await writeSessionFile(this.#deps.fs, paths, encodeRecord(record, this.#deps.secret), lock);
    log.debug(`session ${record.name}: stored generation ${record.generation}${record.stored ? '' : ' (no state)'}${this.encrypts ? ', encrypted' : ''}`);
  }
}

function unreadable(name: string, paths: SessionPaths, reason: string, cause?: unknown): BundleCacheError {
  return new BundleCacheError('ERR_SESSION_UNREADABLE',
      `The stored session ${JSON.stringify(name)} (${paths.file}) is not used: ${reason}. It is warmed again and replaced.`,
      { session: name, file: paths.file, reason }, cause === undefined ? undefined : { cause });
}
