/**
 * Nothing the remote does may hang past its deadline: every operation runs
 * under an AbortSignal that fires after a bound, and the stores turn the
 * abort into `ERR_REMOTE_UNAVAILABLE` (see `storeErrors.ts`).
 */

/** The slowest link a body transfer is allowed to assume: 10 MB/s. */
export const BODY_BYTES_PER_SECOND = 10 * 1024 * 1024;

/** A body's deadline: the operation timeout plus its size at 10 MB/s (a 50 MB body gets 2 s + 5 s). */
export function bodyTimeoutMs(timeoutMs: number, size: number): number {
  return timeoutMs + Math.ceil((size / BODY_BYTES_PER_SECOND) * 1000);
}

/** The abort reason when a deadline passes. */
export class DeadlineExceeded extends Error {
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The abort reason when the caller gave up (flush bound reached, tier closed). */
export class Cancelled extends Error {
  constructor(why: string) {
    super(`cancelled: ${why}`);
  }
}

/** Runs `work` with a signal that aborts after `timeoutMs`, or when `parent` aborts; the timer is cleared either way. */
export async function withDeadline<T>(timeoutMs: number, parent: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(timeoutMs)), timeoutMs);
  const onParentAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted)
    onParentAbort();
  parent?.addEventListener('abort', onParentAbort, { once: true });
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    parent?.removeEventListener('abort', onParentAbort);
  }
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts (for clients that take no signal). */
export async function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => {});
    throw signal.reason;
  }
  let onAbort: () => void = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  promise.catch(() => {});
  try {
    return await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
