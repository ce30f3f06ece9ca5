import type { BundleCacheError } from '../errors.js';
import type { CachedResponse, EntryMeta } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import type { Tier } from '../core/tier.js';
import { hostId } from '../keys/hostId.js';
import { log } from '../log.js';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerSettings } from './circuitBreaker.js';
import { Cancelled, withDeadline } from './deadline.js';
import { FleetFlight } from './fleetFlight.js';
import { openRemoteStore } from './openStore.js';
import { DEFAULT_TIMEOUT_MS, type ResolvedRemote } from '../options/remoteOption.js';
import { Publisher } from './publisher.js';
import { readEntry, type ReadOutcome, type ReadSettings } from './readEntry.js';
import { recordId } from './entryRecord.js';
import { RemoteGuard } from './remoteGuard.js';
import { emptyRemoteStats, type RemoteStats } from './remoteStats.js';
import type { RemoteKind } from '../options/remoteUrl.js';
import type { RemoteStore } from './store.js';
import type { FlushResult, PublishOutcome } from './uploadQueue.js';

export interface RemoteTierSettings {
  /** HMAC secret: sign every record written, ignore records without a valid signature. */
  readonly secret?: string;
  /** Deadline for connecting and each small operation, ms. Default 2000; a body gets this plus its size at 10 MB/s. */
  readonly timeoutMs?: number;
  /** Where problems go (each one also counted in `remoteErrors`). */
  readonly report: (error: BundleCacheError) => void;
  /** Epoch ms; drives record TTLs, the breaker's cooldown and the fleet wait's deadline. Default `Date.now`. */
  readonly now?: () => number;
  /** How a fleet wait sleeps between polls. Default a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** In [0, 1): the jitter of a fleet wait's backoff. Default `Math.random`. */
  readonly random?: () => number;
  /** Default 3 consecutive failures, 30 s cooldown. */
  readonly breaker?: Partial<BreakerSettings>;
  /** Uploads in flight at once. Default 2. */
  readonly uploadConcurrency?: number;
  /** Body bytes queued for upload beyond which a publish is dropped. Default 256 MB. */
  readonly maxPendingUploadBytes?: number;
  /** PX of a fleet lock, renewed every third of it. Default 15 s. */
  readonly lockTtlMs?: number;
  /** This machine, named in the fleet locks it takes. Default `hostId()`. */
  readonly host?: string;
}

export const DEFAULT_FLUSH_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_PENDING_UPLOAD_BYTES = 256 * 1024 * 1024;
const MAX_REMEMBERED_PROBLEMS = 256;

/**
 * The third tier, over one `RemoteStore`: reads return only checked bytes
 * (record, key, signature when signed, size, sha256), writes are background
 * uploads. `flight` is its single flight across machines (Redis only).
 * Advisory: no method throws; every problem is a miss or a dropped upload,
 * reported and counted.
 */
export class RemoteTier implements Tier, AsyncDisposable {
  readonly name = 'remote';
  readonly role = 'shared';
  readonly kind: RemoteKind;
  readonly location: string;
  readonly readOnly: boolean;
  readonly signed: boolean;
  /** Fleet-wide single flight, when the store has locks. */
  readonly flight: FleetFlight | undefined;
  readonly #store: RemoteStore;
  readonly #read: ReadSettings;
  readonly #breaker: CircuitBreaker;
  readonly #guard: RemoteGuard;
  readonly #publisher: Publisher;
  readonly #stats = emptyRemoteStats();
  /** Per key, the problem last reported for its record: a walk that looks twice (before and after the fleet lock) reports it once. */
  readonly #reported = new Map<string, string>();
  readonly #background = new Set<Promise<unknown>>();
  readonly #closing = new AbortController();

  /** Opens the backend for `remote`. Never fails and never waits: nothing connects until `connect()` or the first use. */
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
    this.#publisher = new Publisher({
      store, secret: settings.secret, timeoutMs, now,
      uploadConcurrency: settings.uploadConcurrency ?? 2,
      maxPendingUploadBytes: settings.maxPendingUploadBytes ?? DEFAULT_MAX_PENDING_UPLOAD_BYTES,
    }, this.#guard, this.#stats);
    this.flight = store.fleetLocks && new FleetFlight({ store, locks: store.fleetLocks, host: settings.host ?? hostId(), timeoutMs, now, lockTtlMs: settings.lockTtlMs, sleep: settings.sleep, random: settings.random }, this.#guard, this.#stats);
    this.kind = store.kind;
    this.location = store.location;
    this.readOnly = store.readOnly;
    this.signed = settings.secret !== undefined;
  }

  /**
   * Connects in the background, so that a new machine's first lookups find
   * the connection open. Never rejects, reports and counts nothing, and
   * leaves the circuit as it is: the first lookup meets any problem itself.
   */
  connect(): Promise<void> {
    const { store, timeoutMs } = this.#read;
    const work = withDeadline(timeoutMs, this.#closing.signal, signal => store.connect(signal)).then(
        () => log.debug(`connected to ${this.location} ahead of the first lookup`),
        error => log.debug(`could not connect to ${this.location} ahead of the first lookup: ${(error as Error).message}`));
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
    return work;
  }

  get(request: CacheRequest, known?: CachedResponse): Promise<CachedResponse | undefined> {
    return this.lookup(request.key, known);
  }

  /**
   * The entry for `key`, checked; `undefined` on any miss. Freshness is the
   * caller's to judge. `known`: a body this machine holds already, not
   * downloaded again when the record names it.
   */
  async lookup(key: string, known?: CachedResponse): Promise<CachedResponse | undefined> {
    if (!this.#guard.allow()) {
      this.#stats.remoteMisses++;
      return undefined;
    }
    return this.#settle(key, await readEntry(this.#read, recordId(key), key, this.#guard.closing, known));
  }

  /** Uploads in the background; resolves once uploaded (true) or refused, dropped or failed (false). Never rejects. */
  async put(response: CachedResponse): Promise<boolean> {
    const outcome = await this.publish(response.meta, response.body);
    if (outcome.kind !== 'uploaded')
      log.debug(`upload ${response.meta.url}: ${outcome.kind} (${outcome.reason})`);
    else
      log.debug(`upload ${response.meta.url}: ${outcome.bodySent ? 'body and record' : 'record (body already there)'}`);
    return outcome.kind === 'uploaded';
  }

  /**
   * Uploads (body first unless already there, record last); never rejects.
   * Refuses what may not be shared: a status other than 200, a body that is
   * not the meta's size, anything on a read-only remote.
   */
  publish(meta: EntryMeta, body: Buffer): Promise<PublishOutcome> {
    return this.#publisher.publish(meta, body);
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
    await this.flight?.releaseAll();
    await Promise.all(this.#background);
    await this.#store.close();
    return flushed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** An outcome of `readEntry` becomes an entry or a counted miss, its problem reported once per record. */
  #settle(key: string, outcome: ReadOutcome): CachedResponse | undefined {
    if (outcome.kind === 'unavailable') {
      this.#guard.failed(outcome.error);
    } else {
      this.#guard.answered();
      if (outcome.kind === 'hit') {
        this.#reported.delete(key);
        this.#stats.remoteHits++;
        this.#stats.bytesFromRemote += outcome.response.body.length;
        return outcome.response;
      }
      if ((outcome.kind === 'untrusted' || outcome.kind === 'corrupt') && this.#reported.get(key) !== outcome.error.message) {
        this.#reported.set(key, outcome.error.message);
        if (this.#reported.size > MAX_REMEMBERED_PROBLEMS)
          this.#reported.delete(this.#reported.keys().next().value!);
        this.#guard.problem(outcome.error);
      }
      if (outcome.kind === 'corrupt' && outcome.body)
        this.#dropBody(outcome.body);
    }
    this.#stats.remoteMisses++;
    return undefined;
  }

  /** Bytes that do not hash to their address are wrong for everyone: drop them so the next upload replaces them. */
  #dropBody(body: NonNullable<Extract<ReadOutcome, { kind: 'corrupt' }>['body']>): void {
    const { store, timeoutMs } = this.#read;
    if (store.readOnly)
      return;
    const work = withDeadline(timeoutMs, this.#guard.closing, signal => store.deleteBody(body, signal)).catch(() => {});
    this.#background.add(work);
    void work.finally(() => this.#background.delete(work));
  }
}
