import { withDeadline } from './deadline.js';
import type { FleetLocks } from './store.js';

/** How long a fleet lock lives without renewal: what a crashed holder costs the others at most. */
export const DEFAULT_FLEET_LOCK_TTL_MS = 15_000;

/**
 * A fleet-wide lock this machine holds while it fetches a key from the
 * origin (`SET lock:<id> <token> NX PX <ttl>`). It is renewed every third of
 * its TTL with a compare-and-PEXPIRE script, so it outlives its PX while the
 * holder is alive and lapses soon after the holder dies. It only saves work:
 * losing it (renewal refused, Redis gone for a whole TTL) never makes bytes
 * wrong, since every reader checks them.
 */
export class FleetLock {
  readonly key: string;
  readonly #locks: FleetLocks;
  readonly #id: string;
  readonly #token: string;
  readonly #ttlMs: number;
  readonly #timeoutMs: number;
  readonly #timer: NodeJS.Timeout;
  readonly #onEnd: (lock: FleetLock) => void;
  #renewals = 0;
  #lastRenewed = Date.now();
  #state: 'held' | 'lost' | 'released' = 'held';
  #renewing = false;

  constructor(locks: FleetLocks, key: string, id: string, token: string, ttlMs: number, timeoutMs: number, onEnd: (lock: FleetLock) => void) {
    this.key = key;
    this.#locks = locks;
    this.#id = id;
    this.#token = token;
    this.#ttlMs = ttlMs;
    this.#timeoutMs = timeoutMs;
    this.#onEnd = onEnd;
    this.#timer = setInterval(() => void this.#renew(), Math.max(1, Math.floor(ttlMs / 3)));
    this.#timer.unref();
  }

  /** True while this machine still holds the lock (not lost, not released). */
  get held(): boolean {
    return this.#state === 'held';
  }

  /** How many renewals succeeded. */
  get renewals(): number {
    return this.#renewals;
  }

  /** Deletes the lock if it is still ours (compare-and-delete), never another holder's. Never throws. */
  async release(): Promise<void> {
    if (this.#state === 'released')
      return;
    const wasHeld = this.#state === 'held';
    this.#end('released');
    if (wasHeld)
      await withDeadline(this.#timeoutMs, undefined, signal => this.#locks.release(this.#id, this.#token, signal)).catch(() => {});
  }

  async #renew(): Promise<void> {
    if (this.#renewing || this.#state !== 'held')
      return;
    this.#renewing = true;
    try {
      const renewed = await withDeadline(this.#timeoutMs, undefined, signal => this.#locks.renew(this.#id, this.#token, this.#ttlMs, signal));
      if (this.#state !== 'held')
        return;
      if (renewed) {
        this.#renewals++;
        this.#lastRenewed = Date.now();
      } else {
        this.#end('lost');
      }
    } catch {
      // Redis unreachable: the lock may still be ours until its TTL runs out since the last renewal.
      if (Date.now() - this.#lastRenewed >= this.#ttlMs)
        this.#end('lost');
    } finally {
      this.#renewing = false;
    }
  }

  #end(state: 'lost' | 'released'): void {
    clearInterval(this.#timer);
    this.#state = state;
    this.#onEnd(this);
  }
}
