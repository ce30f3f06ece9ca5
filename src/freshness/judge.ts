import type { EntryMeta } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import { varyMatches } from '../http/storePolicy.js';
import { log } from '../log.js';
import type { CacheMode } from '../types.js';
import { decide, type Decision, type RunFacts } from './decide.js';
import { entryFacts } from './entryFreshness.js';

export interface JudgeSettings {
  readonly now: () => number;
  readonly mode: CacheMode;
  /** When this run began (epoch ms): a check made since counts as the run's, whoever made it. */
  readonly runStartedAt: number;
  /** This machine (see `hostId`). */
  readonly host: string;
}

/**
 * Decides, for one `BundleCache`, what each request does with the entry it
 * found in a tier: the pure `decide()` plus what this instance remembers,
 * namely which entries it checked with the origin itself (a check made by
 * another process or machine during the run counts too: it is read from
 * the entry, and counted in `checksBorrowed`).
 */
export class FreshnessJudge {
  readonly #settings: JudgeSettings;
  /**
   * Entries this cache knows were checked during the run: it checked them
   * (or stored them), or it was served one that someone checked after its
   * request arrived (which was during the run, whatever the clocks say).
   */
  readonly #checked = new Set<string>();
  /** Entries served on another process's or machine's check of this run, counted once each. */
  readonly #borrowed = new Set<string>();

  constructor(settings: JudgeSettings) {
    this.#settings = settings;
  }

  /** Checks of this run made by other processes or machines that spared this cache its own: one per entry. */
  get checksBorrowed(): number {
    return this.#borrowed.size;
  }

  /**
   * `checkedDuringRequest`: the request waited for another process or
   * machine that, meanwhile, checked this copy with the origin (it appeared
   * or was validated anew while the request waited): as good as its own
   * check, whatever the clocks of the two machines say.
   */
  decide(meta: EntryMeta, request: CacheRequest, checkedDuringRequest = false): Decision {
    // Another variant of the URL: fetched whole, and it replaces the stored one.
    if (!varyMatches(meta.vary, request.requestHeaders))
      return 'refetch';
    const { now, mode, runStartedAt, host } = this.#settings;
    const facts = entryFacts(meta);
    const run: RunFacts = { startedAt: runStartedAt, host, checkedHere: this.#checked.has(request.key) };
    const context = {
      now: now(), mode: request.rule.revalidate, ruleMaxAgeMs: request.rule.maxAgeMs, offline: mode === 'offline',
      refreshSince: mode === 'refresh' ? runStartedAt : undefined, arrivedAt: request.arrivedAt, checkedDuringRequest, wantsFresh: request.wantsFresh, run,
    };
    const decision = decide(facts, context);
    // Served on someone else's check of this run: without it, this cache would have asked the origin itself.
    if (decision === 'serve' && !run.checkedHere && decide(facts, { ...context, arrivedAt: Infinity, checkedDuringRequest: false, run: { ...run, startedAt: Infinity } }) !== 'serve') {
      this.#checked.add(request.key);
      this.#borrowed.add(request.key);
      log.debug(`borrowed ${request.url}: checked ${meta.freshness?.validatedAt} by ${facts.validatedBy === host ? 'another process on this machine' : 'another machine'} during this run`);
    }
    return decision;
  }

  /** The origin confirmed or replaced this entry during this run, asked by this cache. */
  markChecked(key: string): void {
    this.#checked.add(key);
  }

  /** Whether a stored copy may still stand in for a failed origin: never past `maxAge`. */
  withinMaxAge(meta: EntryMeta, request: CacheRequest): boolean {
    const facts = entryFacts(meta);
    return this.#settings.now() < Math.min(facts.expiresAt, facts.validatedAt + request.rule.maxAgeMs);
  }
}
