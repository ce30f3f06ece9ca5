/** The circuit breaker's policy: at most `failures` within `windowMs`. */
export interface BreakerPolicy {
  readonly failures: number;
  readonly windowMs: number;
}

/** The failures still inside the window at `now`, oldest first. */
export function recentFailures(failures: readonly number[], now: number, policy: BreakerPolicy): number[] {
  return failures.filter(at => at > now - policy.windowMs && at <= now).sort((a, b) => a - b);
}

/** Records one failure at `now`, forgetting those outside the window (the file stays small). */
export function withFailure(failures: readonly number[], now: number, policy: BreakerPolicy): number[] {
  return [...recentFailures(failures, now, policy), now];
}

/**
 * Open (no more warm-ups) while `policy.failures` or more failures fall
 * inside the window; it closes when enough of them age out. Returns when
 * warming may be tried again, or undefined while closed.
 */
export function breakerOpenUntil(failures: readonly number[], now: number, policy: BreakerPolicy): number | undefined {
  const recent = recentFailures(failures, now, policy);
  if (recent.length < policy.failures)
    return undefined;
  // Warming may resume when only failures - 1 are left inside the window.
  return recent[recent.length - policy.failures]! + policy.windowMs;
}
