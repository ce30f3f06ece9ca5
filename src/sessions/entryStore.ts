import type { HeldLock } from '../disk/locks.js';
import { BundleCacheError, isBundleCacheError } from '../errors.js';
import { log } from '../log.js';
import type { SessionPaths } from './fingerprint.js';
import type { SessionHost } from './host.js';
import { KeyedMutex } from './keyedMutex.js';
import { decodeRecord, encodeRecord, type SessionRecord } from './record.js';
import { clearSessionDebris, ensureSessionsDir, readSessionFile, writeSessionFile } from './sessionFile.js';

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

/**
 * The session entries of one cache: lock-free reads (writes are atomic,
 * so a reader sees the old file or the new one), and a critical section
 * per entry that holds the in-process mutex and the cross-process lock.
 */
export class SessionEntryStore {
  readonly #host: SessionHost;
  readonly #mutex = new KeyedMutex();
  readonly #lockTimeoutMs: number;

  constructor(host: SessionHost, lockTimeoutMs = SESSION_LOCK_TIMEOUT_MS) {
    this.#host = host;
    this.#lockTimeoutMs = lockTimeoutMs;
  }

  async read(paths: SessionPaths, name: string): Promise<EntryRead> {
    let text: string | undefined;
    try {
      text = await readSessionFile(this.#host.fs, paths.file);
    } catch (error) {
      // A planted link: it is gone already (removed, not followed), so the entry is simply empty now.
      if (isBundleCacheError(error, 'ERR_UNSAFE_PATH')) {
        this.#host.report(error);
        return { record: undefined, problem: undefined };
      }
      return { record: undefined, problem: unreadable(name, paths, `it could not be read (${(error as Error).message})`, error) };
    }
    if (text === undefined)
      return { record: undefined, problem: undefined };
    const decoded = decodeRecord(text, this.#host.secret, { name, keyHash: paths.keyHash });
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
      await ensureSessionsDir(this.#host.root, paths.dir, this.#host.fs);
      const lock = await this.#host.locks.acquire(paths.stem, this.#lockTimeoutMs);
      try {
        await clearSessionDebris(this.#host.fs, paths);
        return await work(lock);
      } finally {
        await lock.release();
      }
    });
  }

  async write(paths: SessionPaths, record: SessionRecord, lock: HeldLock): Promise<void> {
    await writeSessionFile(this.#host.fs, paths, encodeRecord(record, this.#host.secret), lock);
    log.debug(`session ${record.name}: stored generation ${record.generation}${record.stored ? '' : ' (no state)'}${this.#host.secret ? ', encrypted' : ''}`);
  }
}

function unreadable(name: string, paths: SessionPaths, reason: string, cause?: unknown): BundleCacheError {
  return new BundleCacheError('ERR_SESSION_UNREADABLE',
      `The stored session ${JSON.stringify(name)} (${paths.file}) is not used: ${reason}. It is warmed again and replaced.`,
      { session: name, file: paths.file, reason }, cause === undefined ? undefined : { cause });
}
