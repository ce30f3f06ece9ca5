import type { EntryMeta } from '../disk/meta.js';

/**
 * Whether a stored entry may be served now: before its own expiry and before
 * the expiry the current rule would give it (so shortening `maxAge` takes
 * effect on existing entries), and, in refresh mode, stored since the cache
 * was opened.
 */
export function isFresh(meta: EntryMeta, now: number, ruleMaxAgeMs: number, refreshSince: number | undefined): boolean {
  const storedAt = Date.parse(meta.storedAt);
  if (refreshSince !== undefined && storedAt < refreshSince)
    return false;
  return now < Math.min(Date.parse(meta.expiresAt), storedAt + ruleMaxAgeMs);
}
