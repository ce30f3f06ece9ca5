import type { EntryMeta } from '../core/meta.js';
import type { CacheMode } from '../types.js';
import { varyMatches } from '../http/storePolicy.js';
import type { CacheRequest } from '../core/request.js';
import { decide, needsCheck, type Decision } from './decide.js';
import { entryFacts } from './entryFreshness.js';

/**
 * Decides, for one `BundleCache`, what each request does with the entry it
 * found (in memory or on disk): the pure `decide()` plus what this instance
 * remembers, namely which entries it has checked with the origin already
 * (mode `'run'` checks each revalidated entry at its first use).
 */
export class FreshnessJudge {
  readonly #now: () => number;
  readonly #mode: CacheMode;
  readonly #refreshSince: number | undefined;
  readonly #checked = new Set<string>();

  constructor(options: { now: () => number; mode: CacheMode; refreshSince: number | undefined }) {
    this.#now = options.now;
    this.#mode = options.mode;
    this.#refreshSince = options.refreshSince;
  }

  decide(meta: EntryMeta, request: CacheRequest): Decision {
    // Another variant of the URL: fetched whole, and it replaces the stored one.
    if (!varyMatches(meta.vary, request.requestHeaders))
      return 'refetch';
    const facts = entryFacts(meta);
    const mode = request.rule.revalidate;
    const check = needsCheck({ mode, immutable: facts.immutable, wantsFresh: request.wantsFresh, checkedThisRun: this.#checked.has(request.key) });
    const decision = decide(facts, { now: this.#now(), mode, ruleMaxAgeMs: request.rule.maxAgeMs, offline: this.#mode === 'offline', refreshSince: this.#refreshSince, arrivedAt: request.arrivedAt, needsCheck: check });
    // Served because the origin confirmed it after the request arrived (another process's check): that check was this run's too.
    if (decision === 'serve' && check && facts.validatedAt >= request.arrivedAt)
      this.markChecked(request.key);
    return decision;
  }

  /** The origin confirmed or replaced this entry during this run. */
  markChecked(key: string): void {
    this.#checked.add(key);
  }

  /** Whether a stored copy may still stand in for a failed origin: never past `maxAge`. */
  withinMaxAge(meta: EntryMeta, request: CacheRequest): boolean {
    const facts = entryFacts(meta);
    return this.#now() < Math.min(facts.expiresAt, facts.validatedAt + request.rule.maxAgeMs);
  }
}
