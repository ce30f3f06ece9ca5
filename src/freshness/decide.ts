/**
 * When an unversioned entry is checked with the origin:
 * - `'run'`: as `'http'`, and also at its first use by each `BundleCache`,
 *   so every run and every worker sees what is deployed now;
 * - `'http'`: when the origin's headers say it is stale, like a browser;
 * - `'always'`: before every use (versioned entries too);
 * - `'never'`: never; an entry is used until `maxAge`, then refetched whole.
 */
export type RevalidateMode = 'run' | 'http' | 'always' | 'never';

export const REVALIDATE_MODES: readonly RevalidateMode[] = ['run', 'http', 'always', 'never'];

/** What the cache does with a stored entry for one request. */
export type Decision =
  /** Serve it without asking the origin. */
  | 'serve'
  /** Ask the origin with a conditional request (If-None-Match / If-Modified-Since). */
  | 'revalidate'
  /** Fetch it whole (it has no validators, it is past `maxAge` in mode `'never'`, or refresh mode). */
  | 'refetch';

/** An entry's freshness facts, in epoch ms (see `entryFreshness`). */
export interface EntryFacts {
  /** Immutable entries (a versioned URL, or `Cache-Control: immutable`) are not revalidated before `maxAge`. */
  readonly immutable: boolean;
  readonly storedAt: number;
  /** When the origin last confirmed this body: stored, or answered 304. */
  readonly validatedAt: number;
  /** The origin's freshness as of `validatedAt`. */
  readonly freshUntil: number;
  /** The cache's own limit: `maxAge` after the last validation, as written in meta.json. */
  readonly expiresAt: number;
  readonly hasValidators: boolean;
}

export interface DecisionContext {
  readonly now: number;
  readonly mode: RevalidateMode;
  /** The rule's current `maxAge`, so shortening it takes effect on stored entries. */
  readonly ruleMaxAgeMs: number;
  /** Offline: entries are served without revalidating, up to `maxAge`. */
  readonly offline: boolean;
  /** Refresh mode: entries stored before this instant are refetched whole. */
  readonly refreshSince: number | undefined;
  /** When the request arrived: a validation since then (by another request or process) is as good as its own. */
  readonly arrivedAt: number;
  /**
   * This use needs the origin's word beyond what the headers say (mode
   * `'always'`, a request asking for a fresh copy, the first use in mode `'run'`).
   */
  readonly needsCheck: boolean;
}

/** Pure: what to do with a stored entry for one request. */
export function decide(entry: EntryFacts, context: DecisionContext): Decision {
  const { now, mode, offline, refreshSince } = context;
  if (refreshSince !== undefined && entry.storedAt < refreshSince && !offline)
    return 'refetch';
  const withinLimit = now < Math.min(entry.expiresAt, entry.validatedAt + context.ruleMaxAgeMs);
  if (offline || mode === 'never')
    return withinLimit ? 'serve' : 'refetch';
  const ask: Decision = entry.hasValidators ? 'revalidate' : 'refetch';
  if (!withinLimit)
    return ask;
  if (entry.validatedAt >= context.arrivedAt)
    return 'serve';
  if (context.needsCheck)
    return ask;
  if (entry.immutable)
    return 'serve';
  return now < entry.freshUntil ? 'serve' : ask;
}

/** Whether this use needs the origin's word beyond the headers (see `DecisionContext.needsCheck`). */
export function needsCheck(input: { mode: RevalidateMode; immutable: boolean; wantsFresh: boolean; checkedThisRun: boolean }): boolean {
  const { mode, immutable, wantsFresh, checkedThisRun } = input;
  if (mode === 'never')
    return false;
  if (mode === 'always' || wantsFresh)
    return true;
  return mode === 'run' && !immutable && !checkedThisRun;
}
