import fs from 'node:fs';

/**
 * What makes a lock directory ours: its inode and birth time (a successor's
 * directory may well reuse the inode number), and the mtimes we (through
 * proper-lockfile) gave it.
 */
interface Ownership {
  readonly ino: number;
  readonly birthtimeMs: number;
  /** The last refresh that landed, and one in flight (a stat may see it before its callback runs). */
  mtimes: [confirmed: number, pending: number | undefined];
}

type Callback = (error: NodeJS.ErrnoException | null) => void;

/**
 * The `fs` proper-lockfile is given. proper-lockfile alone cannot tell its
 * lock from the one a successor made after taking it over (it only notices
 * at its next refresh, from a timer), and its `release` and exit handler
 * remove the lock directory whoever made it. This adapter records each held
 * lock's inode and the mtimes it was refreshed to, so that:
 * - `problem()` tells, right before a writer makes something visible, whether
 *   the lock is still ours and far enough from stale that nobody may take it over;
 * - a lock that is no longer ours is never removed (release, exit);
 * - a stale lock is removed only if it is still stale at that moment;
 * - lock directories are created 0700 whatever the umask.
 */
export class LockFs {
  readonly #staleMs: number;
  /** A lock refreshed longer ago than this is abandoned by its holder: the rest of `staleMs` is the margin. */
  readonly #trustMs: number;
  readonly #held = new Map<string, Ownership>();

  constructor(staleMs: number, updateMs: number) {
    this.#staleMs = staleMs;
    this.#trustMs = updateMs + (staleMs - updateMs) / 2;
  }

  /** The callback-style fs proper-lockfile calls. */
  readonly fs = {
    stat: fs.stat,
    realpath: fs.realpath,
    mkdir: (lockPath: string, callback: Callback) => fs.mkdir(lockPath, { mode: 0o700 }, error => callback(error)),
    utimes: (lockPath: string, atime: Date, mtime: Date, callback: Callback) => {
      const owned = this.#held.get(lockPath);
      if (owned)
        owned.mtimes[1] = mtime.getTime();
      fs.utimes(lockPath, atime, mtime, error => {
        if (!error && owned)
          owned.mtimes = [mtime.getTime(), undefined];
        callback(error);
      });
    },
    rmdir: (lockPath: string, callback: Callback) => {
      fs.stat(lockPath, (error, stat) => {
        if (error)
          return callback(error);
        if (!this.#removable(lockPath, stat))
          return callback(Object.assign(new Error(`Lock ${lockPath} is held by another process`), { code: 'ELOCKED' }));
        this.#held.delete(lockPath);
        fs.rmdir(lockPath, callback);
      });
    },
    rmdirSync: (lockPath: string) => {
      if (this.#removable(lockPath, fs.statSync(lockPath)))
        fs.rmdirSync(lockPath);
    },
  };

  /** Records a lock proper-lockfile just acquired; pass what it returns to `forget`. */
  async claim(lockPath: string): Promise<object> {
    const stat = await fs.promises.stat(lockPath);
    const owned: Ownership = { ino: stat.ino, birthtimeMs: stat.birthtimeMs, mtimes: [stat.mtime.getTime(), undefined] };
    this.#held.set(lockPath, owned);
    return owned;
  }

  /** Forgets a lock this process released: only that hold, never a successor's in this process that took it right after. */
  forget(lockPath: string, claimed: object): void {
    if (this.#held.get(lockPath) === claimed)
      this.#held.delete(lockPath);
  }

  /** Why the lock at `lockPath` can no longer be relied on, or undefined while it is ours and fresh. */
  async problem(lockPath: string): Promise<string | undefined> {
    const owned = this.#held.get(lockPath);
    if (!owned)
      return 'it was released or taken over';
    const stat = await fs.promises.stat(lockPath).catch(() => undefined);
    if (!stat)
      return 'its directory was removed';
    if (!isOurs(owned, stat))
      return 'another process took it over';
    const age = Date.now() - stat.mtime.getTime();
    if (age > this.#trustMs)
      return `it was last refreshed ${age} ms ago (a blocked event loop?), so another process may take it over any moment`;
    return undefined;
  }

  /** Ours: remove it. Someone else's: only while it is stale (a live successor's lock is never removed). */
  #removable(lockPath: string, stat: fs.Stats): boolean {
    const owned = this.#held.get(lockPath);
    if (owned)
      return isOurs(owned, stat);
    return stat.mtime.getTime() < Date.now() - this.#staleMs;
  }
}

function isOurs(owned: Ownership, stat: fs.Stats): boolean {
  const mtime = stat.mtime.getTime();
  return stat.ino === owned.ino && stat.birthtimeMs === owned.birthtimeMs && (mtime === owned.mtimes[0] || mtime === owned.mtimes[1]);
}
