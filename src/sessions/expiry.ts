import type { SessionState } from './storageState.js';

/** When a state stops being used, and what ends it first. */
export interface Expiry {
  /** Epoch ms. */
  readonly at: number;
  /** `'ttl'`, or `'cookie "<name>"'` when a cookie expires before the TTL does. */
  readonly reason: string;
}

/**
 * The earlier of `storedAt + ttl` and the earliest expiry of the state's
 * cookies. Session cookies (`expires` -1) do not count: they live as long
 * as the context. A cookie already expired when the state was captured is
 * ignored too (the browser would not send it; counting it would make every
 * fresh state expired at once).
 */
export function expiryOf(state: SessionState, storedAt: number, ttlMs: number): Expiry {
  let expiry: Expiry = { at: storedAt + ttlMs, reason: 'ttl' };
  for (const cookie of state.cookies) {
    if (cookie.expires < 0)
      continue;
    const at = Math.floor(cookie.expires * 1000);
    if (at > storedAt && at < expiry.at)
      expiry = { at, reason: `cookie ${JSON.stringify(cookie.name)}` };
  }
  return expiry;
}

/**
 * Whether a stored state is still usable at `now`. The TTL is applied again
 * as it is now configured, so shortening `ttl` takes effect on states
 * stored before (as `maxAge` does on bundle entries).
 */
export function expiredBy(stored: { storedAt: number; expiresAt: number; expiryReason: string }, now: number, ttlMs: number): string | undefined {
  if (now >= stored.storedAt + ttlMs)
    return 'ttl';
  if (now >= stored.expiresAt)
    return stored.expiryReason;
  return undefined;
}
