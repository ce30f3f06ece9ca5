import type { BrowserContext } from 'playwright';
import type { LockManager } from '../disk/locks.js';
import type { StoreFs } from '../disk/storeFs.js';
import type { BundleCacheError } from '../errors.js';
import type { SessionEvent, SessionStats } from '../types.js';

/** What the sessions of one `BundleCache` are handed by it. */
export interface SessionHost {
  /** The cache root; session files live in `<root>/sessions/`. */
  readonly root: string;
  readonly fs: StoreFs;
  readonly locks: LockManager;
  /** The secret that encrypts session files, if one is set. */
  readonly secret: string | undefined;
  readonly now: () => number;
  /** Installs the bundle cache on a context a session made. */
  attach(context: BrowserContext): Promise<void>;
  /** Something went wrong inside the cache (a damaged file): counted in `stats().errors`, emitted as `'problem'`. */
  report(error: BundleCacheError): void;
  /** Something the site did (a 429): emitted as `'problem'`, not counted as a cache error. */
  notify(error: BundleCacheError): void;
  /** Emits a `'session'` event. */
  emit(event: SessionEvent): void;
  /** Background work `close()` waits for (a rejection being written). */
  track(work: Promise<unknown>): void;
  /** Throws `ERR_CLOSED` once the cache is closed. */
  checkOpen(): void;
}

/** The counters behind `stats().sessions`, fed by the events. */
export class SessionCounters {
  reused = 0;
  warmed = 0;
  rejected = 0;

  count(event: SessionEvent): void {
    if (event.type === 'reused')
      this.reused++;
    else if (event.type === 'warmed')
      this.warmed++;
    else if (event.type === 'rejected')
      this.rejected++;
  }

  snapshot(): SessionStats {
    return { reused: this.reused, warmed: this.warmed, rejected: this.rejected };
  }
}
