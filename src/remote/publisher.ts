import type { CachedResponse, EntryMeta } from '../core/meta.js';
import type { RemoteGuard } from './remoteGuard.js';
import type { RemoteStats } from './remoteStats.js';
import { asRemoteError } from './storeErrors.js';
import { uploadEntry, type UploadSettings } from './uploadEntry.js';
import { UploadQueue, type FlushResult, type PublishOutcome } from './uploadQueue.js';

export interface PublisherSettings extends UploadSettings {
  readonly uploadConcurrency: number;
  readonly maxPendingUploadBytes: number;
}

/**
 * The write side of the tier: refuses what may not be shared, queues the
 * rest, and uploads it (body first, record last) under the guard's policy.
 */
export class Publisher {
  readonly #settings: PublisherSettings;
  readonly #guard: RemoteGuard;
  readonly #stats: RemoteStats;
  readonly #queue: UploadQueue;

  constructor(settings: PublisherSettings, guard: RemoteGuard, stats: RemoteStats) {
    this.#settings = settings;
    this.#guard = guard;
    this.#stats = stats;
    this.#queue = new UploadQueue(settings.uploadConcurrency, settings.maxPendingUploadBytes);
  }

  publish(meta: EntryMeta, body: Buffer): Promise<PublishOutcome> {
    const refusal = this.#refusal(meta, body);
    if (refusal)
      return Promise.resolve({ kind: 'skipped', reason: refusal });
    const queued = this.#queue.add({ key: meta.key, sha256: meta.sha256, url: meta.url, size: body.length, run: signal => this.#upload({ meta, body }, signal) });
    if (queued)
      return queued;
    this.#stats.uploadsDropped++;
    return Promise.resolve({ kind: 'dropped', reason: `the upload queue is full (${this.#queue.pendingBytes} bytes waiting)` });
  }

  flush(timeoutMs: number): Promise<FlushResult> {
    return this.#queue.flush(timeoutMs);
  }

  #refusal(meta: EntryMeta, body: Buffer): string | undefined {
    if (this.#guard.closing.aborted)
      return 'the remote tier is closed';
    if (this.#settings.store.readOnly)
      return 'the remote is read-only';
    if (meta.status !== 200)
      return `status ${meta.status}: only 200 responses are shared`;
    if (body.length !== meta.size)
      return `the body is ${body.length} bytes, its meta says ${meta.size}`;
    return this.#stopped();
  }

  #stopped(): string | undefined {
    const refused = this.#guard.writesStopped;
    return refused && `uploads stopped for this run (${refused.code}: ${refused.details.fix})`;
  }

  async #upload(entry: CachedResponse, signal: AbortSignal): Promise<PublishOutcome> {
    const stopped = this.#stopped();
    if (stopped)
      return { kind: 'skipped', reason: stopped };
    if (!this.#guard.allow()) {
      this.#stats.uploadsDropped++;
      return { kind: 'dropped', reason: 'circuit open: the remote failed several times in a row' };
    }
    try {
      const result = await uploadEntry(this.#settings, entry, signal);
      this.#guard.answered();
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
      return { kind: 'dropped', reason: this.#guard.failed(asRemoteError(this.#settings.store.location, 'upload an entry', error)) };
    }
  }
}
