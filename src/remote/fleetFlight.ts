import { randomBytes } from 'node:crypto';
import type { Claim, Flight, Leader } from '../core/flight.js';
import type { CacheRequest } from '../core/request.js';
import { log } from '../log.js';
import { withDeadline } from './deadline.js';
import { DEFAULT_FLEET_LOCK_TTL_MS, FleetLock } from './fleetLock.js';
import { recordId } from './entryRecord.js';
import type { RemoteGuard } from './remoteGuard.js';
import type { RemoteStats } from './remoteStats.js';
import type { FleetLocks, RemoteStore } from './store.js';
import { asRemoteError } from './storeErrors.js';
import { waitWhileLocked } from './waitWhileLocked.js';

/** How long a machine waits for another one that holds the fleet lock of a key, before going on itself. */
export const FLEET_WAIT_MS = 30_000;

export type FleetLockOutcome =
  /** This machine goes to the origin; `release()` the lock once its upload is over (or it gave up). */
  | { readonly kind: 'acquired'; readonly lock: FleetLock }
  /** Another machine holds it: wait for it, then look again. */
  | { readonly kind: 'busy' }
  /** No fleet lock: go on alone (single flight stays per machine). */
  | { readonly kind: 'none'; readonly reason: string };

export interface FleetSettings {
  readonly store: RemoteStore;
  /** This machine (see `hostId`), named in the locks it takes. */
  readonly host: string;
  readonly locks: FleetLocks;
  readonly timeoutMs: number;
  readonly lockTtlMs: number | undefined;
  readonly now: () => number;
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
  readonly random: (() => number) | undefined;
}

/**
 * Single flight across the machines of one remote, over the store's locks
 * (Redis `SET NX PX`): of the machines that need a key past the remote at
 * once (a miss, or an entry due for a check with the origin), one goes to
 * the origin and uploads what it got; the others wait until its lock is
 * gone, then find its record.
 */
export class FleetFlight implements Flight {
  readonly guards = 'remote';
  readonly #settings: FleetSettings;
  readonly #guard: RemoteGuard;
  readonly #stats: RemoteStats;
  readonly #held = new Set<FleetLock>();

  constructor(settings: FleetSettings, guard: RemoteGuard, stats: RemoteStats) {
    this.#settings = settings;
    this.#guard = guard;
    this.#stats = stats;
  }

  async claim(request: CacheRequest): Promise<Claim<never>> {
    const outcome = await this.lock(request.key);
    if (outcome.kind === 'acquired')
      return { kind: 'lead', release: () => outcome.lock.release() };
    if (outcome.kind === 'none')
      return { kind: 'alone', reason: outcome.reason };
    log.debug(`fleet: another machine is fetching or checking ${request.url}; waiting for it`);
    const leader = await this.#leader(request.key);
    if (!await this.wait(request.key, FLEET_WAIT_MS))
      return { kind: 'alone', reason: 'waited too long for another machine' };
    return { kind: 'joined', outcome: undefined, ...(leader ? { leader } : {}) };
  }

  /** Who holds `key`'s lock: its token names the machine and when it took the lock. */
  async #leader(key: string): Promise<Leader | undefined> {
    const { locks, timeoutMs } = this.#settings;
    const token = await withDeadline(timeoutMs, this.#guard.closing, signal => locks.holder(recordId(key), signal)).catch(() => undefined);
    return token === undefined ? undefined : parseToken(token);
  }

  /** Takes the fleet-wide lock for `key`, or says why there is none. */
  async lock(key: string): Promise<FleetLockOutcome> {
    const { store, locks, timeoutMs } = this.#settings;
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
      const token = `${randomBytes(16).toString('hex')}.${this.#settings.host}.${this.#settings.now()}`;
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

  /**
   * Waits, polling with jittered backoff, until nobody holds `key`'s lock
   * (true) or `timeoutMs` passes or the remote fails (false).
   */
  async wait(key: string, timeoutMs: number): Promise<boolean> {
    const { locks } = this.#settings;
    this.#stats.fleetWaits++;
    const id = recordId(key);
    const free = await waitWhileLocked({
      ...this.#settings, timeoutMs,
      allow: () => this.#guard.allow(),
      lockHeld: () => withDeadline(this.#settings.timeoutMs, this.#guard.closing, signal => locks.isHeld(id, signal)),
    });
    if (free)
      this.#stats.fleetWaitHits++;
    return free;
  }

  /** Releases every lock still held (at close). */
  async releaseAll(): Promise<void> {
    await Promise.all([...this.#held].map(lock => lock.release()));
  }
}

/** A lock token: `<random hex>.<host>.<epoch ms>`; undefined for any other holder's value. */
function parseToken(token: string): Leader | undefined {
  const match = /^[0-9a-f]{32}\.([0-9a-z-]{1,64})\.(\d{1,16})$/.exec(token);
  return match ? { host: match[1]!, since: Number(match[2]) } : undefined;
}
