import { randomBytes } from 'node:crypto';
import type { BundleCacheError } from '../errors.js';
import type { CachedResponse, EntryMeta } from '../disk/meta.js';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerSettings, type BreakerState } from './breaker.js';
import { Cancelled, DEFAULT_TIMEOUT_MS, withDeadline } from './deadline.js';
import { DEFAULT_FLEET_LOCK_TTL_MS, FleetLock } from './fleetLock.js';
import { openRemoteStore } from './openStore.js';
import type { ResolvedRemote } from './options.js';
import { readEntry, type ReadOutcome, type ReadSettings } from './readEntry.js';
import { recordId } from './record.js';
import { emptyRemoteStats, type RemoteStats } from './remoteStats.js';
import type { RemoteKind, RemoteStore } from './store.js';
import { asRemoteError } from './storeErrors.js';
import { uploadEntry } from './uploadEntry.js';
import { UploadQueue, type FlushResult, type PublishOutcome } from './uploadQueue.js';
import { verifyRemote, type RemoteVerifyResult } from './verify.js';
import { waitForRecord } from './waitForRecord.js';

export interface RemoteTierSettings {
  /** HMAC secret: sign every record written, ignore records without a valid signature. */
  readonly secret?: string;
  /** Deadline for connecting and each small operation, ms. Default 2000. */
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
  /** True when misses take a fleet-wide lock (Redis, writable); on HTTP stores single flight stays per machine. */
  readonly fleetLock: boolean;
  readonly circuit: BreakerState;
  /** Why uploads stopped for this run, if they did. */
  readonly uploadsStopped: string | undefined;
  /** Why the remote is unreachable, if it is. */
  readonly error: string | undefined;
}

export type FleetLockOutcome =
  /** This machine fetches; pass the lock to `publish()` (released once the record is written) or `release()` it. */
  | { readonly kind: 'acquired'; readonly lock: FleetLock }
  /** Another machine is fetching: `waitForRecord()`, then fetch yourself if it comes back empty. */
  | { readonly kind: 'busy' }
  /** No fleet lock: fetch yourself (single flight stays per machine). */
  | { readonly kind: 'none'; readonly reason: string };

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
  readonly #secret: string | undefined;
  readonly #timeoutMs: number;
  readonly #settings: RemoteTierSettings;
  readonly #now: () => number;
  readonly #breaker: CircuitBreaker;
  readonly #queue: UploadQueue;
  readonly #stats = emptyRemoteStats();
  readonly #locks = new Set<FleetLock>();
  readonly #background = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();
  #uploadsStopped: BundleCacheError | undefined;

  /** Opens the backend for `remote`. Never fails and never waits: nothing connects until first use. */
  static open(remote: ResolvedRemote, settings: Omit<RemoteTierSettings, 'secret' | 'timeoutMs'>): RemoteTier {
    return new RemoteTier(openRemoteStore(remote), { ...settings, secret: remote.secret, timeoutMs: remote.timeoutMs });
  }

  constructor(store: RemoteStore, settings: RemoteTierSettings) {
    this.#store = store;
    this.#settings = settings;
    this.#secret = settings.secret;
    this.#timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#now = settings.now ?? Date.now;
    this.#breaker = new CircuitBreaker({ ...DEFAULT_BREAKER, ...settings.breaker }, this.#now);
    this.#queue = new UploadQueue(settings.uploadConcurrency ?? 2, settings.maxPendingUploadBytes ?? DEFAULT_MAX_PENDING_UPLOAD_BYTES);
    this.kind = store.kind;
    this.location = store.location;
    this.readOnly = store.readOnly;
    this.signed = settings.secret !== undefined;
  }

  /** The entry for `key`, its size and sha256 checked (and its signature, when signed); `undefined` on any miss. Freshness is the caller's to judge. */
  async lookup(key: string): Promise<CachedResponse | undefined> {
    if (!this.#allow()) {
      this.#stats.remoteMisses++;
      return undefined;
    }
    return this.#settleRead(await readEntry(this.#read(), recordId(key), key, this.#closing.signal));
  }

  /**
   * Uploads in the background (body first unless already there, record
   * last); the promise never rejects and need not be awaited. Refuses what
   * may not be shared: a status other than 200, a body that is not the
   * meta's size, anything on a read-only remote. A `lock` is released once
   * the upload is over, so machines waiting on it find the record.
   */
  publish(meta: EntryMeta, body: Buffer, options: { lock?: FleetLock } = {}): Promise<PublishOutcome> {
    const done = this.#enqueue(meta, body);
    if (options.lock)
      this.#track(done.then(() => options.lock!.release()));
    return done;
  }

  /** `publish`, awaited: for `bundle-cache push`. */
  async push(entry: CachedResponse): Promise<PublishOutcome> {
    return this.publish(entry.meta, entry.body);
  }

  /** Takes the fleet-wide lock for `key` (Redis), or says why there is none. */
  async lock(key: string): Promise<FleetLockOutcome> {
    const locks = this.#store.fleetLocks;
    if (!locks)
      return { kind: 'none', reason: 'HTTP stores have no fleet lock' };
    if (this.#uploadsStopped && !this.readOnly)
      return { kind: 'none', reason: 'writes stopped for this run' };
    if (!this.#allow())
      return { kind: 'none', reason: 'circuit open' };
    const id = recordId(key);
    const ttlMs = this.#settings.lockTtlMs ?? DEFAULT_FLEET_LOCK_TTL_MS;
    try {
      if (this.readOnly) {
        const held = await withDeadline(this.#timeoutMs, this.#closing.signal, signal => locks.isHeld(id, signal));
        this.#breaker.success();
        return held ? { kind: 'busy' } : { kind: 'none', reason: 'read-only: this machine takes no locks' };
      }
      const token = randomBytes(16).toString('hex');
      const acquired = await withDeadline(this.#timeoutMs, this.#closing.signal, signal => locks.acquire(id, token, ttlMs, signal));
      this.#breaker.success();
      if (!acquired)
        return { kind: 'busy' };
      const lock = new FleetLock(locks, key, id, token, ttlMs, this.#timeoutMs, ended => this.#locks.delete(ended));
      this.#locks.add(lock);
      return { kind: 'acquired', lock };
    } catch (error) {
      return { kind: 'none', reason: this.#failed(asRemoteError(this.location, 'take a fleet lock', error)) };
    }
  }

  /**
   * Polls for the record another machine is publishing, with jittered
   * backoff, until it appears (the checked entry), the lock is gone without
   * one, or `timeoutMs` passes (`undefined`: fetch yourself).
   */
  async waitForRecord(key: string, timeoutMs: number): Promise<CachedResponse | undefined> {
    this.#stats.fleetWaits++;
    const found = await waitForRecord({
      now: this.#now, sleep: this.#settings.sleep, random: this.#settings.random, timeoutMs,
      allow: () => this.#allow(),
      read: async () => readEntry(this.#read(), recordId(key), key, this.#closing.signal),
      settle: outcome => this.#settleRead(outcome),
      lockHeld: async () => this.#store.fleetLocks !== undefined && await withDeadline(this.#timeoutMs, this.#closing.signal, signal => this.#store.fleetLocks!.isHeld(recordId(key), signal)).catch(() => false),
    });
    if (found)
      this.#stats.fleetWaitHits++;
    return found;
  }

  async status(): Promise<RemoteStatus> {
    let error: string | undefined;
    try {
      await withDeadline(this.#timeoutMs, this.#closing.signal, signal => this.#store.ping(signal));
      this.#breaker.success();
    } catch (failure) {
      this.#breaker.failure();
      error = asRemoteError(this.location, 'answer', failure).message;
    }
    return {
      kind: this.kind, location: this.location, reachable: error === undefined, readOnly: this.readOnly, signed: this.signed,
      fleetLock: this.#store.fleetLocks !== undefined && !this.readOnly, circuit: this.#breaker.state,
      uploadsStopped: this.#uploadsStopped?.message, error,
    };
  }

  /** Checks records and bodies on the remote (see `RemoteVerifyResult`); changes nothing there. */
  async verify(keys?: readonly string[]): Promise<RemoteVerifyResult> {
    return verifyRemote(this.#read(), keys, this.#closing.signal);
  }

  stats(): RemoteStats {
    return { ...this.#stats, breakerOpened: this.#breaker.opened };
  }

  /** Waits for pending uploads up to `timeoutMs`, then cancels the rest and lists them. */
  async flush(timeoutMs = DEFAULT_FLUSH_TIMEOUT_MS): Promise<FlushResult> {
    return this.#queue.flush(timeoutMs);
  }

  /** Flushes (up to `flushTimeoutMs`), releases held locks, and closes the connection. Later calls are misses and skips. */
  async close(flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS): Promise<FlushResult> {
    const flushed = await this.flush(flushTimeoutMs);
    this.#closing.abort(new Cancelled('the remote tier closed'));
    await Promise.all([...this.#locks].map(lock => lock.release()));
    await Promise.all(this.#background);
    await this.#store.close();
    return flushed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #read(): ReadSettings {
    return { store: this.#store, secret: this.#secret, timeoutMs: this.#timeoutMs };
  }

  #allow(): boolean {
    if (this.#closing.signal.aborted)
      return false;
    if (this.#breaker.allow())
      return true;
    this.#stats.remoteSkipped++;
    return false;
  }

  #settleRead(outcome: ReadOutcome): CachedResponse | undefined {
    if (outcome.kind === 'unavailable') {
      this.#failed(outcome.error);
    } else {
      this.#breaker.success();
      if (outcome.kind === 'hit') {
        this.#stats.remoteHits++;
        this.#stats.bytesFromRemote += outcome.response.body.length;
        return outcome.response;
      }
      if (outcome.kind === 'untrusted' || outcome.kind === 'corrupt')
        this.#problem(outcome.error);
      if (outcome.kind === 'corrupt' && outcome.body && !this.readOnly) {
        const body = outcome.body;
        // Bytes that do not hash to their address are wrong for everyone: drop them so the next upload replaces them.
        this.#track(withDeadline(this.#timeoutMs, this.#closing.signal, signal => this.#store.deleteBody(body, signal)).catch(() => {}));
      }
    }
    this.#stats.remoteMisses++;
    return undefined;
  }

  #enqueue(meta: EntryMeta, body: Buffer): Promise<PublishOutcome> {
    const refusal = this.#refusal(meta, body);
    if (refusal)
      return Promise.resolve({ kind: 'skipped', reason: refusal });
    const queued = this.#queue.add({ key: meta.key, url: meta.url, size: body.length, run: signal => this.#upload({ meta, body }, signal) });
    if (queued)
      return queued;
    this.#stats.uploadsDropped++;
    return Promise.resolve({ kind: 'dropped', reason: `the upload queue is full (${this.#queue.pendingBytes} bytes waiting)` });
  }

  #refusal(meta: EntryMeta, body: Buffer): string | undefined {
    if (this.#closing.signal.aborted)
      return 'the remote tier is closed';
    if (this.readOnly)
      return 'the remote is read-only';
    if (meta.status !== 200)
      return `status ${meta.status}: only 200 responses are shared`;
    if (body.length !== meta.size)
      return `the body is ${body.length} bytes, its meta says ${meta.size}`;
    if (this.#uploadsStopped)
      return `uploads stopped for this run (${this.#uploadsStopped.code})`;
    return undefined;
  }

  async #upload(entry: CachedResponse, signal: AbortSignal): Promise<PublishOutcome> {
    if (this.#uploadsStopped)
      return { kind: 'skipped', reason: `uploads stopped for this run (${this.#uploadsStopped.code})` };
    if (!this.#allow()) {
      this.#stats.uploadsDropped++;
      return { kind: 'dropped', reason: 'circuit open: the remote failed several times in a row' };
    }
    try {
      const result = await uploadEntry({ store: this.#store, secret: this.#secret, timeoutMs: this.#timeoutMs, now: this.#now }, entry, signal);
      this.#breaker.success();
      if (result.kind === 'expired')
        return { kind: 'skipped', reason: 'the entry expires too soon to be worth sharing' };
      this.#stats.uploads++;
      if (result.bodySent)
        this.#stats.bytesToRemote += entry.body.length;
      else
        this.#stats.bodiesAlreadyThere++;
      return result;
    } catch (error) {
      this.#stats.uploadsDropped++;
      return { kind: 'dropped', reason: this.#failed(asRemoteError(this.location, 'upload an entry', error)) };
    }
  }

  /** Handles a failed operation; returns its message. A refused write stops uploads (reported once); a cancel is not a failure. */
  #failed(error: BundleCacheError): string {
    if (error.details.cancelled === true)
      return error.message;
    if (error.code === 'ERR_REMOTE_WRITE_REFUSED') {
      this.#breaker.success();
      if (!this.#uploadsStopped) {
        this.#uploadsStopped = error;
        this.#problem(error);
      }
      return error.message;
    }
    this.#breaker.failure();
    this.#problem(error);
    return error.message;
  }

  #problem(error: BundleCacheError): void {
    this.#stats.remoteErrors++;
    this.#settings.report(error);
  }

  #track(work: Promise<unknown>): void {
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }
}
