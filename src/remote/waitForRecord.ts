import type { CachedResponse } from '../disk/meta.js';
import type { ReadOutcome } from './readEntry.js';

/** The first pause between polls, the factor it grows by, and its cap, in ms. */
export const WAIT_BACKOFF = { firstMs: 50, factor: 1.5, maxMs: 1000 } as const;

export interface WaitSettings {
  readonly now: () => number;
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
  readonly random: (() => number) | undefined;
  readonly timeoutMs: number;
  /** False when the circuit is open (or the tier closed): stop waiting. */
  allow(): boolean;
  read(): Promise<ReadOutcome>;
  /** Turns an outcome into the entry or a miss, reporting and counting as a lookup does. */
  settle(outcome: ReadOutcome): CachedResponse | undefined;
  lockHeld(): Promise<boolean>;
}

const timerSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * A waiter's side of the fleet single flight. Polls for the record with
 * jittered, growing pauses (so a hundred waiters do not poll in step) and
 * never sleeps past the deadline. Gives up early, so the caller fetches
 * itself, when the holder's lock is gone with no record behind it (the
 * holder failed or found the response unstorable) or the remote fails.
 */
export async function waitForRecord(settings: WaitSettings): Promise<CachedResponse | undefined> {
  const sleep = settings.sleep ?? timerSleep;
  const random = settings.random ?? Math.random;
  const deadline = settings.now() + settings.timeoutMs;
  for (let pause: number = WAIT_BACKOFF.firstMs; ; pause = Math.min(pause * WAIT_BACKOFF.factor, WAIT_BACKOFF.maxMs)) {
    const left = deadline - settings.now();
    if (left <= 0)
      return undefined;
    await sleep(Math.min(left, Math.round(pause * (0.5 + random()))));
    if (!settings.allow())
      return undefined;
    const outcome = await settings.read();
    if (outcome.kind !== 'absent')
      return settings.settle(outcome);
    if (!await settings.lockHeld()) {
      // The holder may have written the record and released the lock between the two reads.
      const last = await settings.read();
      return last.kind === 'absent' ? undefined : settings.settle(last);
    }
  }
}
