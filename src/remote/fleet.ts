import { randomBytes } from 'node:crypto';
import type { CachedResponse } from '../disk/meta.js';
import { withDeadline } from './deadline.js';
import { DEFAULT_FLEET_LOCK_TTL_MS, FleetLock } from './fleetLock.js';
import { recordId } from './record.js';
import type { RemoteGuard } from './remoteGuard.js';
import type { RemoteReader } from './remoteReader.js';
import type { RemoteStats } from './remoteStats.js';
import type { RemoteStore } from './store.js';
import { asRemoteError } from './storeErrors.js';
import { waitForRecord } from './waitForRecord.js';

export type FleetLockOutcome =
  /** This machine fetches; pass the lock to `publish()` (released once the record is written) or `release()` it. */
  | { readonly kind: 'acquired'; readonly lock: FleetLock }
  /** Another machine is fetching: `waitForRecord()`, then fetch yourself if it comes back empty. */
  | { readonly kind: 'busy' }
  /** No fleet lock: fetch yourself (single flight stays per machine). */
  | { readonly kind: 'none'; readonly reason: string };

export interface FleetSettings {
  readonly store: RemoteStore;
  readonly timeoutMs: number;
  readonly lockTtlMs: number | undefined;
  readonly now: () => number;
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
  readonly random: (() => number) | undefined;
}

/** Fleet-wide single flight over the store's locks (Redis); none on HTTP stores. */
export class Fleet {
  readonly #settings: FleetSettings;
  readonly #guard: RemoteGuard;
  readonly #reader: RemoteReader;
  readonly #stats: RemoteStats;
  readonly #held = new Set<FleetLock>();

  constructor(settings: FleetSettings, guard: RemoteGuard, reader: RemoteReader, stats: RemoteStats) {
    this.#settings = settings;
    this.#guard = guard;
    this.#reader = reader;
    this.#stats = stats;
  }

  async lock(key: string): Promise<FleetLockOutcome> {
    const { store, timeoutMs } = this.#settings;
    const locks = store.fleetLocks;
    if (!locks)
      return { kind: 'none', reason: 'HTTP stores have no fleet lock' };
    if (this.#guard.writesStopped && !store.readOnly)
      return { kind: 'none', reason: 'writes stopped for this run' };
    if (!this.#guard.allow())
      return { kind: 'none', reason: 'circuit open' };
    const id = recordId(key);
    const ttlMs = this.#settings.lockTtlMs ?? DEFAULT_FLEET_LOCK_TTL_MS;
    try {
      if (store.readOnly) {
        // A read-only machine takes no lock, but can still wait for a trusted one's record.
        const held = await withDeadline(timeoutMs, this.#guard.closing, signal => locks.isHeld(id, signal));
        this.#guard.answered();
        return held ? { kind: 'busy' } : { kind: 'none', reason: 'read-only: this machine takes no locks' };
      }
      const token = randomBytes(16).toString('hex');
      const acquired = await withDeadline(timeoutMs, this.#guard.closing, signal => locks.acquire(id, token, ttlMs, signal));
      this.#guard.answered();
      if (!acquired)
        return { kind: 'busy' };
      const lock = new FleetLock(locks, key, id, token, ttlMs, timeoutMs, ended => this.#held.delete(ended));
      this.#held.add(lock);
      return { kind: 'acquired', lock };
    } catch (error) {
      return { kind: 'none', reason: this.#guard.failed(asRemoteError(store.location, 'take a fleet lock', error)) };
    }
  }

  async waitForRecord(key: string, timeoutMs: number): Promise<CachedResponse | undefined> {
    const { store } = this.#settings;
    this.#stats.fleetWaits++;
    const found = await waitForRecord({
      ...this.#settings, timeoutMs,
      allow: () => this.#guard.allow(),
      read: () => this.#reader.read(key),
      settle: outcome => this.#reader.settle(outcome),
      lockHeld: async () => store.fleetLocks !== undefined
        && await withDeadline(this.#settings.timeoutMs, this.#guard.closing, signal => store.fleetLocks!.isHeld(recordId(key), signal)).catch(() => false),
    });
    if (found)
      this.#stats.fleetWaitHits++;
    return found;
  }

  /** Releases every lock still held (at close). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.#held].map(lock => lock.release()));
  }
}
