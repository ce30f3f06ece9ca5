import { Cancelled } from './deadline.js';

/** What became of one upload. Never an exception: the remote is advisory. */
export type PublishOutcome =
  | { readonly kind: 'uploaded'; readonly bodySent: boolean }
  /** Not attempted: read-only, not a 200, expired, uploads stopped, circuit open, closed. */
  | { readonly kind: 'skipped'; readonly reason: string }
  /** Attempted and given up: failed (reported), queue full, or cut by the flush bound. */
  | { readonly kind: 'dropped'; readonly reason: string };

export interface DroppedUpload {
  readonly key: string;
  readonly url: string;
  readonly size: number;
  readonly reason: string;
}

export interface FlushResult {
  /** Uploads that finished while flushing (published or not). */
  readonly settled: number;
  /** Uploads cut by the bound: queued or in flight. Their records were never written. */
  readonly dropped: readonly DroppedUpload[];
}

export interface UploadJob {
  readonly key: string;
  /** The body's sha256: the same key and body queued twice is one upload. */
  readonly sha256: string;
  readonly url: string;
  readonly size: number;
  run(signal: AbortSignal): Promise<PublishOutcome>;
}

interface Pending {
  readonly job: UploadJob;
  readonly controller: AbortController;
  readonly done: Promise<PublishOutcome>;
  start(): void;
}

/**
 * Background uploads: a few at a time, bounded in the bytes they hold. The
 * same key and body queued twice is one upload; a new body for a key waits
 * for the upload before it, so the newer record is written last. `flush()`
 * waits for them up to a bound, then cancels the rest and says which.
 */
export class UploadQueue {
  readonly #concurrency: number;
  readonly #maxPendingBytes: number;
  readonly #waiting: Pending[] = [];
  readonly #running = new Set<Pending>();
  readonly #all = new Set<Pending>();
  readonly #latest = new Map<string, Pending>();
  #pendingBytes = 0;

  constructor(concurrency: number, maxPendingBytes: number) {
    this.#concurrency = concurrency;
    this.#maxPendingBytes = maxPendingBytes;
  }

  /** Body bytes queued or in flight. */
  get pendingBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * Queues `job`; the same key and body already queued or running gets that
   * upload's outcome instead. `undefined` when the queue holds too many
   * bytes already.
   */
  add(job: UploadJob): Promise<PublishOutcome> | undefined {
    const before = this.#latest.get(job.key);
    if (before?.job.sha256 === job.sha256)
      return before.done;
    if (this.#pendingBytes + job.size > this.#maxPendingBytes && this.#all.size > 0)
      return undefined;
    const controller = new AbortController();
    const run = (): Promise<PublishOutcome> => controller.signal.aborted
      ? Promise.resolve({ kind: 'dropped', reason: String((controller.signal.reason as Error).message) })
      : job.run(controller.signal).catch(error => ({ kind: 'dropped', reason: (error as Error).message }));
    let start!: () => void;
    const done = new Promise<PublishOutcome>(resolve => {
      start = () => resolve(before ? before.done.then(run) : run());
    });
    const pending: Pending = { job, controller, done, start };
    this.#latest.set(job.key, pending);
    this.#all.add(pending);
    this.#pendingBytes += job.size;
    void done.then(() => this.#finish(pending));
    this.#waiting.push(pending);
    this.#pump();
    return done;
  }

  /** Waits up to `timeoutMs` for every upload, then cancels the rest; `timeoutMs` 0 cancels at once. */
  async flush(timeoutMs: number): Promise<FlushResult> {
    const all = [...this.#all];
    if (!all.length)
      return { settled: 0, dropped: [] };
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<false>(resolve => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = await Promise.race([Promise.all(all.map(pending => pending.done)).then(() => true), bound]);
    clearTimeout(timer);
    if (finished)
      return { settled: all.length, dropped: [] };
    const left = [...this.#all];
    const reason = `not finished within the ${timeoutMs} ms flush bound`;
    for (const pending of left)
      pending.controller.abort(new Cancelled(reason));
    this.#pump();
    const outcomes = await Promise.all(left.map(pending => pending.done));
    const dropped = left.filter((_, index) => outcomes[index]!.kind !== 'uploaded');
    return {
      settled: all.filter(pending => !dropped.includes(pending)).length,
      dropped: dropped.map(({ job }) => ({ key: job.key, url: job.url, size: job.size, reason })),
    };
  }

  #pump(): void {
    while (this.#waiting.length && (this.#running.size < this.#concurrency || this.#waiting[0]!.controller.signal.aborted)) {
      const next = this.#waiting.shift()!;
      this.#running.add(next);
      next.start();
    }
  }

  #finish(pending: Pending): void {
    this.#running.delete(pending);
    this.#all.delete(pending);
    if (this.#latest.get(pending.job.key) === pending)
      this.#latest.delete(pending.job.key);
    this.#pendingBytes -= pending.job.size;
    this.#pump();
  }
}
