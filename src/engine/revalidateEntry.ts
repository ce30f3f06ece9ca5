import { BundleCacheError, asCacheError } from '../errors.js';
import type { HeldLock } from '../disk/locks.js';
import type { CachedResponse } from '../disk/meta.js';
import { freshnessOf } from '../freshness/entryFreshness.js';
import type { FreshnessJudge } from '../freshness/judge.js';
import { conditionalHeaders, revalidate } from '../freshness/revalidate.js';
import { log } from '../log.js';
import type { OriginFetch } from './origin.js';
import type { CacheRequest } from './parts.js';
import type { Resolution } from './resolver.js';
import type { StatsCounter } from './stats.js';
import { storeFetched, type StoreDeps } from './storeFetched.js';
import type { TierName } from './tier.js';

export interface RevalidationDeps extends StoreDeps {
  readonly judge: FreshnessJudge;
  readonly stats: StatsCounter;
  readonly report: (error: BundleCacheError, url?: string) => void;
  /** How long past its freshness a stored copy may stand in for a failed origin (the `staleIfError` option). */
  readonly staleIfErrorMs: number | false;
}

/**
 * Checks a stored entry with the origin, under the key's lock: a `304`
 * refreshes meta.json only (the body is neither touched nor downloaded), a
 * new body is stored as any fetched response, and a failed origin gets what
 * its headers (or the `staleIfError` option) allow.
 */
export async function checkWithOrigin(
  deps: RevalidationDeps, request: CacheRequest, found: { response: CachedResponse; from: TierName }, fetchOrigin: OriginFetch, lock: HeldLock | undefined,
  refetchWhole: () => Promise<Resolution>,
): Promise<Resolution> {
  const stored = found.response;
  const source = found.from === 'memory' ? 'disk' : found.from;
  const { url } = request;
  deps.stats.revalidations++;
  const sent = Object.entries(conditionalHeaders(freshnessOf(stored.meta).headers)).map(([name, value]) => `${name}: ${value}`).join(', ');
  const outcome = await revalidate({ stored, fetchOrigin, now: deps.now, ruleMaxAgeMs: request.rule.maxAgeMs, staleIfErrorMs: deps.staleIfErrorMs });
  switch (outcome.kind) {
    case 'not-modified': {
      deps.stats.revalidated++;
      deps.judge.markChecked(request.key);
      const response: CachedResponse = { meta: outcome.meta, body: stored.body };
      const kept = !lock ? 'not written (no lock)' : found.from === 'disk' ? await refresh(deps, response, lock) : await fill(deps, response, lock, found.from);
      log.debug(`revalidate ${url} (${sent}): 304, ${kept}, fresh until ${outcome.meta.freshness!.freshUntil}`);
      await deps.memory.fill(response);
      return { kind: 'hit', source, response, revalidated: true };
    }
    case 'mismatched':
      log.debug(`revalidate ${url} (${sent}): 304 for another body, fetching it whole`);
      return refetchWhole();
    case 'modified': {
      log.debug(`revalidate ${url} (${sent}): ${outcome.response.status}, ${outcome.response.body.length} bytes`);
      const fetched = await storeFetched(deps, request, outcome.response, lock);
      if (fetched.stored)
        deps.judge.markChecked(request.key);
      return fetched;
    }
    case 'failed': {
      if (request.early) {
        log.debug(`revalidate ${url} (${sent}): failed, ${outcome.reason}; left to the page's own request (an early check)`);
        return { kind: 'fallback' };
      }
      const servedStale = outcome.stale && deps.judge.withinMaxAge(stored.meta, request);
      const answer = servedStale ? 'served the stored copy (stale-if-error)' : outcome.response ? `the page gets the origin's ${outcome.response.status}` : 'the browser fetches it itself';
      log.debug(`revalidate ${url} (${sent}): failed, ${outcome.reason}; ${answer}`);
      deps.report(new BundleCacheError('ERR_REVALIDATE_FAILED', `Revalidating ${url} with the origin failed (${outcome.reason}); ${answer}.`,
          { url, reason: outcome.reason, status: outcome.response?.status, servedStale }), url);
      if (servedStale)
        return { kind: 'hit', source, response: stored, revalidated: false };
      if (outcome.response)
        return storeFetched(deps, request, outcome.response, undefined);
      return { kind: 'fallback', reason: outcome.reason };
    }
  }
}

/** A body from a shared tier, confirmed by the origin: written whole to the disk tier. */
async function fill(deps: RevalidationDeps, response: CachedResponse, lock: HeldLock, from: TierName): Promise<string> {
  if (!await deps.disk.fill(response, lock))
    return 'not written to disk';
  deps.afterStore(response, from);
  return `stored from the ${from} tier`;
}

/** Writes the refreshed meta.json; a failure keeps the previous entry whole (and the page still gets the body). */
async function refresh(deps: RevalidationDeps, response: CachedResponse, lock: HeldLock): Promise<string> {
  try {
    return await deps.disk.store.refreshMeta(response.meta, lock) ? 'meta.json refreshed' : 'entry changed meanwhile, left as is';
  } catch (error) {
    deps.report(asCacheError(error), response.meta.url);
    return `meta.json not refreshed (${asCacheError(error).code})`;
  }
}
