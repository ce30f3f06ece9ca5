import { BundleCacheError } from '../errors.js';
import type { CachedResponse } from '../core/meta.js';
import type { OriginResponse } from '../core/origin.js';
import type { CacheRequest } from '../core/request.js';
import { freshnessOf } from '../freshness/entryFreshness.js';
import type { FreshnessJudge } from '../freshness/judge.js';
import { conditionalHeaders, revalidate } from '../freshness/revalidate.js';
import { log } from '../log.js';
import type { KeyOutcome, OriginPolicy, ResolverEvents } from './outcome.js';
import { passed } from './entryFromOrigin.js';

/** What the resolver does with each answer to a check. */
export interface CheckSteps {
  readonly judge: FreshnessJudge;
  readonly policy: OriginPolicy;
  readonly events: ResolverEvents;
  /** The origin confirmed the stored body (304): `response` carries the refreshed meta. */
  confirmed(response: CachedResponse): Promise<KeyOutcome>;
  /** The 304 named another body: fetch it whole. */
  fetchWhole(): Promise<KeyOutcome>;
  /** A full answer (a new body, a 4xx): stored or passed on as any fetched response. */
  store(answer: OriginResponse): Promise<KeyOutcome>;
  /** The origin failed and the stored copy may stand in for it. */
  servedStale(): Promise<KeyOutcome>;
}

/**
 * Checks a stored entry with the origin: a conditional request whose `304`
 * costs no body, a new body stored as any fetched response, and a failed
 * origin given what its headers (or the `staleIfError` option) allow.
 */
export async function checkWithOrigin(request: CacheRequest, stored: CachedResponse, fetch: (extraHeaders: Record<string, string>) => Promise<OriginResponse>, steps: CheckSteps): Promise<KeyOutcome> {
  const { judge, policy, events } = steps;
  const { url } = request;
  events.checks.revalidations++;
  const sent = Object.entries(conditionalHeaders(freshnessOf(stored.meta).headers)).map(([name, value]) => `${name}: ${value}`).join(', ');
  const outcome = await revalidate({ stored, fetchOrigin: fetch, now: policy.now, host: policy.host, ruleMaxAgeMs: request.rule.maxAgeMs, staleIfErrorMs: policy.staleIfErrorMs });
  switch (outcome.kind) {
    case 'not-modified': {
      events.checks.revalidated++;
      judge.markChecked(request.key);
      log.debug(`revalidate ${url} (${sent}): 304, fresh until ${outcome.meta.freshness!.freshUntil}`);
      return steps.confirmed({ meta: outcome.meta, body: stored.body });
    }
    case 'mismatched':
      log.debug(`revalidate ${url} (${sent}): 304 for another body, fetching it whole`);
      return steps.fetchWhole();
    case 'modified':
      log.debug(`revalidate ${url} (${sent}): ${outcome.response.status}, ${outcome.response.body.length} bytes`);
      return steps.store(outcome.response);
    case 'failed': {
      if (request.early) {
        log.debug(`revalidate ${url} (${sent}): failed, ${outcome.reason}; left to the page's own request (an early check)`);
        return { kind: 'fallback' };
      }
      const servedStale = outcome.stale && judge.withinMaxAge(stored.meta, request);
      const answer = servedStale ? 'served the stored copy (stale-if-error)' : outcome.response ? `the page gets the origin's ${outcome.response.status}` : 'the browser fetches it itself';
      log.debug(`revalidate ${url} (${sent}): failed, ${outcome.reason}; ${answer}`);
      events.report(new BundleCacheError('ERR_REVALIDATE_FAILED', `Revalidating ${url} with the origin failed (${outcome.reason}); ${answer}.`,
          { url, reason: outcome.reason, status: outcome.response?.status, servedStale }), url);
      if (servedStale)
        return steps.servedStale();
      if (outcome.response)
        return passed(request, outcome.response, `status ${outcome.response.status}`);
      return { kind: 'fallback', reason: outcome.reason };
    }
  }
}
