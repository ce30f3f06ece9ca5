import type { RevalidateMode } from '../types.js';

export type { RevalidateMode };

export const REVALIDATE_MODES: readonly RevalidateMode[] = ['run', 'http', 'always', 'never'];

/**
 * How far apart the clocks of a fleet's machines may be (NTP keeps them
 * within milliseconds; this allows a second). A check by another machine
 * counts for this run only when its time is more than this after the run
 * began: never one made before it, whichever clock is ahead. (A check a
 * request waited for counts whatever the clocks say: see
 * `checkedDuringRequest`.)
 */
export const CLOCK_SKEW_MS = 1000;

/** What the cache does with a stored entry for one request. */
export type Decision =
  /** Serve it without asking the origin. */
  | 'serve'
  /** Ask the origin with a conditional request (If-None-Match / If-Modified-Since). */
  | 'revalidate'
  /** Fetch it whole (it has no validators, it is past `maxAge` in mode `'never'`, or refresh mode). */
  | 'refetch';

/** An entry's freshness facts, in epoch ms (see `entryFacts`). */
export interface EntryFacts {
  /** Immutable entries (a versioned URL, or `Cache-Control: immutable`) are not revalidated before `maxAge`. */
  readonly immutable: boolean;
  readonly storedAt: number;
  /** When the origin last confirmed this body: stored, or answered 304. */
  readonly validatedAt: number;
  /** The machine that made that check (see `hostId`); undefined for entries written by an earlier release. */
  readonly validatedBy: string | undefined;
  /** The origin's freshness as of `validatedAt`. */
  readonly freshUntil: number;
  /** The cache's own limit: `maxAge` after the last validation, as written in meta.json. */
  readonly expiresAt: number;
  readonly hasValidators: boolean;
  /**
   * The origin gave neither an explicit freshness (max-age, s-maxage,
   * Expires, no-cache) nor a Last-Modified: RFC 9111 section 4.2.2 lets a
   * cache choose a heuristic lifetime, and this one chooses the run.
   */
  readonly freshForTheRun: boolean;
}

/** The run a request belongs to: a script's `BundleCache`, a `playwright test` invocation, a `bundle-cache warm`. */
export interface RunFacts {
  /** When the run began (epoch ms, this machine's clock). */
  readonly startedAt: number;
  /** This machine (see `hostId`). */
  readonly host: string;
  /** This cache itself checked the entry (or stored it) during the run. */
  readonly checkedHere: boolean;
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
  /** When the request arrived: a validation since then (by another request or process of this machine) is as good as its own. */
  readonly arrivedAt: number;
  /** The request waited for another process or machine that checked the entry meanwhile: as good as its own check. */
  readonly checkedDuringRequest: boolean;
  /** The request asks for a copy checked with the origin (`Cache-Control: no-cache`…). */
  readonly wantsFresh: boolean;
  readonly run: RunFacts;
}

/**
 * Whether the entry's last check belongs to this run: this cache made it,
 * or another process on this machine made it after the run began, or
 * another machine made it more than `CLOCK_SKEW_MS` after (by this
 * machine's clock).
 */
export function checkedThisRun(entry: Pick<EntryFacts, 'validatedAt' | 'validatedBy'>, run: RunFacts): boolean {
  return run.checkedHere || entry.validatedAt > run.startedAt + skewAllowance(entry, run);
}

/**
 * Whether the entry was checked since the request arrived by this machine's
 * clock. Another machine's time is not compared with it (its clock may be
 * ahead): such a check counts when the request waited for it.
 */
export function checkedSinceArrival(entry: Pick<EntryFacts, 'validatedAt' | 'validatedBy'>, arrivedAt: number, run: RunFacts): boolean {
  return skewAllowance(entry, run) === 0 && entry.validatedAt >= arrivedAt;
}

function skewAllowance(entry: Pick<EntryFacts, 'validatedBy'>, run: RunFacts): number {
  return entry.validatedBy === undefined || entry.validatedBy === run.host ? 0 : CLOCK_SKEW_MS;
}

/**
 * Pure: what to do with a stored entry for one request. Modes (per rule):
 * - `'run'`: checked at its first use in each run, then as `'http'`;
 * - `'http'`: as the origin's headers say (RFC 9111); an entry that gave no
 *   freshness and no Last-Modified is fresh until the run ends;
 * - `'always'`: checked before every use (immutable entries too);
 * - `'never'`: used until `maxAge`, then fetched whole.
 * A check made by another process or machine counts as this run's (see
 * `checkedThisRun`); nothing is ever used past `maxAge` without the
 * origin's word.
 */
export function decide(entry: EntryFacts, context: DecisionContext): Decision {
  const { now, mode, offline, refreshSince, run } = context;
  if (refreshSince !== undefined && entry.storedAt < refreshSince && !offline)
    return 'refetch';
  const withinLimit = now < Math.min(entry.expiresAt, entry.validatedAt + context.ruleMaxAgeMs);
  if (offline || mode === 'never')
    return withinLimit ? 'serve' : 'refetch';
  const ask: Decision = entry.hasValidators ? 'revalidate' : 'refetch';
  if (!withinLimit)
    return ask;
  if (context.checkedDuringRequest || checkedSinceArrival(entry, context.arrivedAt, run))
    return 'serve';
  if (mode === 'always' || context.wantsFresh)
    return ask;
  if (entry.immutable)
    return 'serve';
  const checked = checkedThisRun(entry, run);
  if (mode === 'run' && !checked)
    return ask;
  if (entry.freshForTheRun)
    return checked ? 'serve' : ask;
  return now < entry.freshUntil ? 'serve' : ask;
}
