import type { BundleCacheError } from '../errors.js';
import type { CachedResponse, EntryMeta } from '../disk/meta.js';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerSettings, type BreakerState } from './breaker.js';
import { Cancelled, DEFAULT_TIMEOUT_MS, withDeadline } from './deadline.js';
import { Fleet, type FleetLockOutcome } from './fleet.js';
import type { FleetLock } from './fleetLock.js';
import { openRemoteStore } from './openStore.js';
import type { ResolvedRemote } from './options.js';
import { Publisher } from './publisher.js';
import type { ReadSettings } from './readEntry.js';
import { RemoteGuard } from './remoteGuard.js';
import { RemoteReader } from './remoteReader.js';
import { emptyRemoteStats, type RemoteStats } from './remoteStats.js';
import type { RemoteKind, RemoteStore } from './store.js';
import { asRemoteError } from './storeErrors.js';
import type { FlushResult, PublishOutcome } from './uploadQueue.js';
import { verifyRemote, type RemoteVerifyResult } from './verify.js';

export interface RemoteTierSettings {
  /** HMAC secret: sign every record written, ignore records without a valid signature. */
  readonly secret?: string;
  /** Deadline for connecting and each small operation, ms. Default 2000; a body gets this plus its size at 10 MB/s. */
  readonly timeoutMs?: number;
  /** Where problems go (each one also counted in `remoteErrors`). */
  readonly report: (error: BundleCacheError) => void;
  /** Epoch ms; drives record TTLs, the breaker's cooldown and `waitForRecord`'s deadline. Default `Date.now`. */
  readonly now?: () => number;
  /** How `waitForRecord` waits between polls. Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter of `waitForRecord`'s backoff. Default `Math.random`. */
  readonly random?: () => number;
  /** Default 3 consecutive failures, 30 s cooldown. */
  readonly breaker?: Partial<BreakerSettings>;
  /** Uploads in flight at once. Default 2. */
  readonly uploadConcurrency?: number;
  /** Body bytes queued for upload beyond which a publish is dropped. Default 256 MB. */
  readonly maxPendingUploadBytes?: number;
  /** PX of a fleet lock, renewed every third of it. Default 15 s. */
  readonly lockTtlMs?: number;
}

export interface RemoteStatus {
  readonly kind: RemoteKind;
  /** The URL without its password. */
  readonly location: string;
  readonly reachable: boolean;
  readonly readOnly: boolean;
  readonly signed: boolean;
  /** True when misses can take a fleet-wide lock (Redis, writable); on HTTP stores single flight stays per machine. */
  readonly fleetLock: boolean;
  readonly circuit: BreakerState;
  /** Why uploads stopped for this run, if they did. */
  readonly uploadsStopped: string | undefined;
  /** Why the remote is unreachable, if it is. */
  readonly error: string | undefined;
}

export type { FleetLockOutcome };

export const DEFAULT_FLUSH_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_PENDING_UPLOAD_BYTES = 256 * 1024 * 1024;

/**
 * The third tier, over one `RemoteStore`: lookups that return only checked
 * bytes, background uploads, fleet single flight. Advisory: no method
 * throws; every problem is a miss or a dropped upload, reported and counted.
 */
export class RemoteTier implements AsyncDisposable {
  readonly kind: RemoteKind;
  readonly location: string;
  readonly readOnly: boolean;
  readonly signed: boolean;
  readonly #store: RemoteStore;
  readonly #read: ReadSettings;
  readonly #breaker: CircuitBreaker;
  readonly #guard: RemoteGuard;
  readonly #reader: RemoteReader;
  readonly #publisher: Publisher;
  readonly #fleet: Fleet;
  readonly #stats = emptyRemoteStats();
  readonly #background = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();

  /** Opens the backend for `remote`. Never fails and never waits: nothing connects until first use. */
  static open(remote: ResolvedRemote, settings: Omit<RemoteTierSettings, 'secret' | 'timeoutMs'>): RemoteTier {
    return new RemoteTier(openRemoteStore(remote), { ...settings, secret: remote.secret, timeoutMs: remote.timeoutMs });
  }

  constructor(store: RemoteStore, settings: RemoteTierSettings) {
    const now = settings.now ?? Date.now;
    const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#store = store;
    this.#read = { store, secret: settings.secret, timeoutMs };
    this.#breaker = new CircuitBreaker({ ...DEFAULT_BREAKER, ...settings.breaker }, now);
    this.#guard = new RemoteGuard(this.#breaker, this.#stats, settings.report, this.#closing.signal);
    this.#reader = new RemoteReader(this.#read, this.#guard, this.#stats, work => this.#track(work));
    this.#publisher = new Publisher({
      store, secret: settings.secret, timeoutMs, now,
      uploadConcurrency: settings.uploadConcurrency ?? 2,
      maxPendingUploadBytes: settings.maxPendingUploadBytes ?? DEFAULT_MAX_PENDING_UPLOAD_BYTES,
    }, this.#guard, this.#stats);
    this.#fleet = new Fleet({ store, timeoutMs, now, lockTtlMs: settings.lockTtlMs, sleep: settings.sleep, random: settings.random }, this.#guard, this.#reader, this.#stats);
    this.kind = store.kind;
    this.location = store.location;
    this.readOnly = store.readOnly;
    this.signed = settings.secret !== undefined;
  }

  /** The entry for `key`, its size and sha256 checked (and its signature, when signed); `undefined` on any miss. Freshness is the caller's to judge. */
  async lookup(key: string): Promise<CachedResponse | undefined> {
    return this.#reader.lookup(key);
  }

  /** After taking the fleet lock for `key`: the entry another machine published since `lookup()` missed, if any; that miss's problems are not reported again. */
  async recheck(key: string): Promise<CachedResponse | undefined> {
    return this.#reader.recheck(key);
  }

  /**
   * Uploads in the background (body first unless already there, record
   * last); the promise never rejects and need not be awaited. Refuses what
   * may not be shared: a status other than 200, a body that is not the
   * meta's size, anything on a read-only remote. A `lock` is released once
   * the upload is over, so machines waiting on it find the record.
   */
  publish(meta: EntryMeta, body: Buffer, options: { lock?: FleetLock } = {}): Promise<PublishOutcome> {
    const done = this.#publisher.publish(meta, body);
    const lock = options.lock;
    if (lock)
      this.#track(done.then(() => lock.release()));
    return done;
  }

  /** `publish`, awaited: for `bundle-cache push`. */
  async push(entry: CachedResponse): Promise<PublishOutcome> {
    return this.publish(entry.meta, entry.body);
  }

  /** Takes the fleet-wide lock for `key` (Redis), or says why there is none. */
  async lock(key: string): Promise<FleetLockOutcome> {
    return this.#fleet.lock(key);
  }

  /**
   * Polls for the record another machine is publishing, with jittered
   * backoff, until it appears (the checked entry), the lock is gone without
   * one, or `timeoutMs` passes (`undefined`: fetch yourself).
   */
  async waitForRecord(key: string, timeoutMs: number): Promise<CachedResponse | undefined> {
    return this.#fleet.waitForRecord(key, timeoutMs);
  }

  /** Asks the remote now (a probe, whatever the circuit says). */
  async status(): Promise<RemoteStatus> {
    let error: string | undefined;
    try {
      await withDeadline(this.#read.timeoutMs, this.#closing.signal, signal => this.#store.ping(signal));
      this.#breaker.success();
    } catch (failure) {
      this.#breaker.failure();
      error = asRemoteError(this.location, 'answer', failure).message;
    }
    return {
      kind: this.kind, location: this.location, reachable: error === undefined, readOnly: this.readOnly, signed: this.signed,
      fleetLock: this.#store.fleetLocks !== undefined && !this.readOnly, circuit: this.#breaker.state,
      uploadsStopped: this.#guard.writesStopped?.message, error,
    };
  }

  /** Checks records and bodies on the remote (see `RemoteVerifyResult`); changes nothing there. */
  async verify(keys?: readonly string[]): Promise<RemoteVerifyResult> {
    return verifyRemote(this.#read, keys, this.#closing.signal);
  }

  stats(): RemoteStats {
    return { ...this.#stats, breakerOpened: this.#breaker.opened };
  }

  /** Waits for pending uploads up to `timeoutMs`, then cancels the rest and lists them. */
  async flush(timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS): Promise<FlushResult> {
    return this.#publisher.flush(timeoutMs);
  }

  /** Flushes (up to `flushTimeoutMs`), releases held locks, closes the connection. Later calls are misses and skips. */
  async close(flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS): Promise<FlushResult> {
    const flushed = await this.flush(flushTimeoutMs);
    this.#closing.abort(new Cancelled('the remote tier closed'));
    await this.#fleet.releaseAll();
    await Promise.all(this.#background);
    await this.#store.close();
    return flushed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #track(work: Promise<unknown>): void {
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }
}
