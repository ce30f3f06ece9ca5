/** The first pause between polls, the factor it grows by, and its cap, in ms. */
export const WAIT_BACKOFF = { firstMs: 50, factor: 1.5, maxMs: 1000 } as const;

export interface WaitSettings {
  readonly now: () => number;
  readonly sleep: ((ms: number) => Promise<void>) | undefined;
  readonly random: (() => number) | undefined;
  readonly timeoutMs: number;
  /** False when the circuit is open (or the tier closed): stop waiting. */
  allow(): boolean;
  /** Rejects when the remote fails. */
  lockHeld(): Promise<boolean>;
}

const timerSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

/**
 * A waiter's side of the fleet single flight: polls the holder's lock with
 * jittered, growing pauses (so a hundred waiters do not poll in step),
 * never sleeping past the deadline. True once the lock is gone (the holder
 * uploaded what it got, or gave up: either way, look again); false when the
 * deadline passes or the remote fails, so the caller goes on alone.
 */
export async function waitWhileLocked(settings: WaitSettings): Promise<boolean> {
  const sleep = settings.sleep ?? timerSleep;
  const random = settings.random ?? Math.random;
  const deadline = settings.now() + settings.timeoutMs;
  for (let pause: number = WAIT_BACKOFF.firstMs; ; pause = Math.min(pause * WAIT_BACKOFF.factor, WAIT_BACKOFF.maxMs)) {
    const left = deadline - settings.now();
    if (left <= 0)
      return false;
    await sleep(Math.min(left, Math.round(pause * (0.5 + random()))));
    if (!settings.allow())
      return false;
    try {
      if (!await settings.lockHeld())
        return true;
    } catch {
      return false;
    }
  }
}
