import type { BundleCacheError } from '../../../src/errors.js';
import type { CachedResponse } from '../../../src/core/meta.js';
import type { OriginResponse } from '../../../src/core/origin.js';
import type { CacheRequest, RulePolicy } from '../../../src/core/request.js';
import type { Resolution } from '../../../src/core/resolution.js';
import type { TierName } from '../../../src/core/tier.js';
import type { KeyOutcome } from '../../../src/engine/outcome.js';
import { ProcessFlight } from '../../../src/engine/processFlight.js';
import { Resolver, shareable, type Level } from '../../../src/engine/resolver.js';
import { entryFromOrigin } from '../../../src/engine/entryFromOrigin.js';
import { FreshnessJudge } from '../../../src/freshness/judge.js';
import type { CacheMode } from '../../../src/types.js';
import { Clock, DAY, FakeFlight, FakeOrigin, FakeTier } from './fakes.js';

/** This machine, as the engine records who checked an entry. */
const HOST = 'this-machine';

// The Resolver as the engine builds it, over the fakes of fakes.ts.

export const RULE: RulePolicy = { name: 'bundles', maxAgeMs: DAY, revalidate: 'run' };

export interface HarnessOptions {
  /** The tiers, fastest first. Default: memory, disk, remote. */
  readonly tiers?: readonly TierName[];
  /** The real in-process single flight at the memory tier instead of a scripted one. */
  readonly processFlight?: boolean;
  /** Levels with no flight (as an HTTP remote has none). */
  readonly noFlight?: readonly TierName[];
  readonly mode?: CacheMode;
  readonly staleIfErrorMs?: number | false;
  readonly versioning?: boolean;
  readonly refreshSince?: number;
}

/** A Resolver over fake tiers and flights, the real FreshnessJudge on a hand-moved clock, and what it reported and tracked. */
export class Harness {
  readonly clock = new Clock();
  readonly journal: string[] = [];
  readonly tiers: Partial<Record<TierName, FakeTier>> = {};
  readonly flights: Partial<Record<TierName, FakeFlight>> = {};
  readonly origin = new FakeOrigin(this.journal);
  readonly reported: BundleCacheError[] = [];
  /** URLs served without validators (the resolver's `unvalidated` event), in order. */
  readonly unvalidated: string[] = [];
  readonly checks = { revalidations: 0, revalidated: 0 };
  readonly resolver: Resolver;
  readonly versioning: boolean;
  readonly #tracked: Array<Promise<unknown>> = [];

  constructor(options: HarnessOptions = {}) {
    const mode = options.mode ?? (options.refreshSince !== undefined ? 'refresh' : 'default');
    this.versioning = options.versioning ?? true;
    const levels: Level[] = [];
    for (const name of options.tiers ?? ['memory', 'disk', 'remote']) {
      const tier = new FakeTier(name, this.journal);
      this.tiers[name] = tier;
      let flight: Level['flight'];
      if (options.noFlight?.includes(name))
        flight = undefined;
      else if (name === 'memory' && options.processFlight)
        flight = new ProcessFlight<KeyOutcome>(shareable);
      else
        flight = this.flights[name] = new FakeFlight(tier, this.journal);
      // As the engine builds it: the disk's claim waits until the tiers behind it were looked at.
      levels.push({ tier, flight, claimLate: name === 'disk' });
    }
    // A run that began now (refresh mode: the cutoff it refetches before), on this machine.
    const judge = new FreshnessJudge({ now: this.clock.read, mode, runStartedAt: options.refreshSince ?? this.clock.now, host: HOST });
    this.resolver = new Resolver({
      levels,
      judge,
      policy: { now: this.clock.read, host: HOST, versioning: this.versioning, staleIfErrorMs: options.staleIfErrorMs ?? false, offlineDir: mode === 'offline' ? '/srv/cache' : undefined },
      events: {
        report: error => this.reported.push(error),
        track: work => void this.#tracked.push(work),
        checks: this.checks,
        unvalidated: request => this.unvalidated.push(request.url),
      },
    });
  }

  tier(name: TierName): FakeTier {
    const tier = this.tiers[name];
    if (!tier)
      throw new Error(`no ${name} tier in this harness`);
    return tier;
  }

  flight(name: TierName): FakeFlight {
    const flight = this.flights[name];
    if (!flight)
      throw new Error(`no scripted flight at the ${name} tier in this harness`);
    return flight;
  }

  /** A request for `url` (already normalized) arriving now. */
  request(url: string, extra: Partial<Omit<CacheRequest, 'key' | 'url'>> = {}): CacheRequest {
    return { key: `GET ${url}`, url, rule: RULE, requestHeaders: {}, wantsFresh: false, arrivedAt: this.clock.now, ...extra };
  }

  resolve(request: CacheRequest | string): Promise<Resolution> {
    const cacheRequest = typeof request === 'string' ? this.request(request) : request;
    return this.resolver.resolve(cacheRequest, this.origin.for(cacheRequest.url));
  }

  /** The entry the origin's `response` for `url` becomes when received now (or `at`), as the store writes it. */
  entry(url: string, response: OriginResponse, at = this.clock.now): CachedResponse {
    const entry = entryFromOrigin(this.request(url), response, at, { versioning: this.versioning, host: HOST });
    if ('kind' in entry)
      throw new Error(`the test's response for ${url} may not be stored: ${entry.reason}`);
    return entry;
  }

  /** Puts a copy straight into a tier's map, as an earlier run left it. */
  keep(name: TierName, entry: CachedResponse): CachedResponse {
    this.tier(name).copies.set(entry.meta.key, entry);
    return entry;
  }

  /** Waits for the background work the resolver tracked (writes to slower tiers, releases after them). */
  async settle(): Promise<void> {
    for (let seen = 0; seen < this.#tracked.length;) {
      const batch = this.#tracked.slice(seen);
      seen = this.#tracked.length;
      await Promise.allSettled(batch);
    }
  }
}

/** Lets the event loop turn until `condition` holds: for states promise chains reach, never for time to pass. */
export async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000 && !condition(); turn++)
    await new Promise(resolve => setImmediate(resolve));
  if (!condition())
    throw new Error(`never came to pass: ${condition.toString()}`);
}

/** The served resolution, or a failed expectation naming what came instead. */
export function servedOf(resolution: Resolution): Extract<Resolution, { kind: 'served' }> {
  if (resolution.kind !== 'served')
    throw new Error(`expected a served resolution, got ${JSON.stringify({ ...resolution, body: undefined })}`);
  return resolution;
}
