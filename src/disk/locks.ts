import { setTimeout as delay } from 'node:timers/promises';
import lockfile from 'proper-lockfile';
import { BundleCacheError, errnoCode } from '../errors.js';
import { log } from '../log.js';
import { LockFs } from './lockFs.js';

/** A lock this process holds. `compromised` turns true if another process took it over. */
export interface HeldLock {
  readonly path: string;
  readonly compromised: boolean;
  /**
   * Throws `ERR_LOCK_COMPROMISED` (and sets `compromised`) unless the lock is
   * still ours and fresh enough that nobody may take it over: called right
   * before each rename that makes a write visible, because `compromised` is
   * only set from a timer, which a blocked event loop runs late.
   */
  verify(): Promise<void>;
  release(): Promise<void>;
}

export interface LockOptions {
  /** A lock not refreshed for this long belongs to a dead (or frozen) process and may be taken over. */
  readonly staleMs: number;
  /** How often to poll a held lock while waiting. */
  readonly pollMs: number;
}

export const DEFAULT_LOCK_OPTIONS: LockOptions = { staleMs: 10_000, pollMs: 50 };

/**
 * Cross-process locks (proper-lockfile: an atomic mkdir of `<stem>.lock`,
 * refreshed while held, stale after `staleMs`). A compromised lock never
 * crashes the process: it is flagged, and the writer checks the flag before
 * each step that makes something visible.
 */
export class LockManager {
  readonly #options: LockOptions;
  readonly #updateMs: number;
  readonly #lockFs: LockFs;
  /** By lock path. */
  readonly #held = new Map<string, HeldLock>();

  constructor(options: Partial<LockOptions> = {}) {
    const merged = { ...DEFAULT_LOCK_OPTIONS, ...options };
    // proper-lockfile's bounds: stale at least 2 s, a refresh at least every second.
    this.#options = { ...merged, staleMs: Math.max(2000, merged.staleMs) };
    this.#updateMs = Math.max(1000, Math.floor(this.#options.staleMs / 3));
    this.#lockFs = new LockFs(this.#options.staleMs, this.#updateMs);
  }

  /**
   * Waits up to `timeoutMs` (0: a single attempt) while another holder has the
   * lock; throws `ERR_LOCK_TIMEOUT` then. Any other failure (a missing
   * directory, a read-only disk) throws at once: proper-lockfile's own
   * `retries` would retry those too.
   */
  async acquire(stem: string, timeoutMs: number): Promise<HeldLock> {
    const lockPath = `${stem}.lock`;
    const deadline = Date.now() + timeoutMs;
    let compromised = false;
    let release: () => Promise<void>;
    for (;;) {
      try {
        release = await lockfile.lock(stem, {
          realpath: false,
          lockfilePath: lockPath,
          stale: this.#options.staleMs,
          update: this.#updateMs,
          retries: 0,
          fs: this.#lockFs.fs,
          onCompromised: error => {
            compromised = true;
            log.warn(`lock ${lockPath} was compromised (${error.message}); the write under it is abandoned`);
          },
        });
        break;
      } catch (error) {
        if (errnoCode(error) !== 'ELOCKED')
          throw new BundleCacheError('ERR_STORE_FAILED', `Could not create lock ${lockPath}: ${(error as Error).message}`, { lockPath }, { cause: error });
        if (Date.now() >= deadline) {
          throw new BundleCacheError('ERR_LOCK_TIMEOUT',
              `Timed out after ${timeoutMs} ms waiting for lock ${lockPath}; another process holds it. If no process is using the cache, run \`bundle-cache clean\` to remove stale locks.`,
              { lockPath, timeoutMs }, { cause: error });
        }
        // Jitter keeps waiting processes from retrying in lockstep.
        await delay(this.#options.pollMs * (0.5 + Math.random()));
      }
    }
    const claimed = await this.#lockFs.claim(lockPath).catch(async error => {
      await release().catch(() => {});
      throw new BundleCacheError('ERR_STORE_FAILED', `Lock ${lockPath} vanished right after it was created: ${(error as Error).message}`, { lockPath }, { cause: error });
    });
    const lockFs = this.#lockFs;
    const held: HeldLock = {
      path: lockPath,
      get compromised() {
        return compromised;
      },
      verify: async () => {
        const problem = compromised ? 'another process took it over' : await lockFs.problem(lockPath);
        if (!problem)
          return;
        compromised = true;
        throw new BundleCacheError('ERR_LOCK_COMPROMISED', `Lock ${lockPath} can no longer be relied on: ${problem}; abandoned the write under it.`, { lockPath, reason: problem });
      },
      release: async () => {
        if (this.#held.get(lockPath) !== held)
          return;
        this.#held.delete(lockPath);
        await release().catch(() => {
          // Already released, or no longer ours (then it was left to its new holder).
        });
        lockFs.forget(lockPath, claimed);
      },
    };
    this.#held.set(lockPath, held);
    return held;
  }

  /** The lock of `stem` if this process holds it. */
  holding(stem: string): HeldLock | undefined {
    return this.#held.get(`${stem}.lock`);
  }

  async releaseAll(): Promise<void> {
    await Promise.all([...this.#held.values()].map(lock => lock.release()));
  }
}
