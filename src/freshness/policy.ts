import CachePolicy from 'http-cache-semantics';
import type { HeaderRecord } from './originHeaders.js';

/** No freshness lifetime longer than this is believed (`max-age=99999999999` would overflow a Date). */
const MAX_LIFETIME_MS = 10 * 365 * 24 * 3600 * 1000;

/**
 * http-cache-semantics reads the clock through `now()`, in its constructor
 * too. Policies are built and queried synchronously here, so one class-wide
 * instant set right before each use is enough to judge an entry at any time.
 */
class PolicyAt extends CachePolicy {
  static instant = 0;
  now(): number {
    return PolicyAt.instant;
  }
}

/** What the origin's headers say about a stored response, judged with http-cache-semantics (RFC 9111). */
export interface OriginFreshness {
  /** Epoch ms until which the origin lets the response be used without asking it (heuristics included). */
  readonly freshUntil: number;
  /** `Cache-Control: immutable`. */
  readonly immutable: boolean;
  /**
   * Once stale, the response must not be used without a successful
   * revalidation (`must-revalidate`, `no-cache`, `proxy-revalidate`,
   * `s-maxage`, RFC 9111 section 4.2.4): an origin failure reaches the page.
   */
  readonly forbidsStale: boolean;
}

/**
 * The origin's freshness for a response received at `receivedAt` (epoch ms)
 * with `headers` (lower-cased freshness headers). Judged as a shared cache
 * (`s-maxage` counts): one disk tier serves every context and process.
 */
export function originFreshness(status: number, headers: HeaderRecord, receivedAt: number): OriginFreshness {
  const policy = policyAt(status, headers, receivedAt);
  const directives = policy.toObject().rescc;
  const lifetimeMs = clamp((policy.maxAge() - policy.age()) * 1000);
  return {
    freshUntil: receivedAt + lifetimeMs,
    immutable: directives.immutable !== undefined,
    forbidsStale: ['must-revalidate', 'no-cache', 'proxy-revalidate', 's-maxage'].some(name => directives[name] !== undefined),
  };
}

/**
 * Whether the origin's `stale-if-error` lets a response received at
 * `receivedAt` be served at `now` when revalidating it failed (a network
 * error, or `failedStatus` 500/502/503/504). Decided by http-cache-semantics'
 * `revalidatedPolicy()`, which keeps the old policy exactly in that case.
 */
export function staleIfErrorAllows(status: number, headers: HeaderRecord, receivedAt: number, now: number, failedStatus: number | undefined): boolean {
  const policy = policyAt(status, headers, receivedAt);
  PolicyAt.instant = now;
  const request = { url: '/', method: 'GET', headers: {} };
  try {
    const result = policy.revalidatedPolicy(request, failedStatus === undefined ? undefined : { status: failedStatus, headers: {} });
    return result.policy === policy && !result.modified;
  } catch {
    // No response and no stale-if-error: the library refuses to judge it.
    return false;
  }
}

/**
 * Whether a `304` answer to a conditional request selects the stored
 * response for update (RFC 9111 section 4.3.4, via http-cache-semantics): a
 * 304 whose strong ETag differs from the stored one does not, and the body
 * must then be fetched whole.
 */
export function notModifiedMatches(status: number, storedHeaders: HeaderRecord, notModifiedHeaders: HeaderRecord, now: number): boolean {
  const policy = policyAt(status, storedHeaders, now);
  const request = { url: '/', method: 'GET', headers: {} };
  const { matches, modified } = policy.revalidatedPolicy(request, { status: 304, headers: { ...notModifiedHeaders } });
  return matches && !modified;
}

/**
 * Whether the request itself asks for a copy checked with the origin
 * (`Cache-Control: no-cache` or `max-age=0`, `Pragma: no-cache`; RFC 9111
 * section 5.2.1), as http-cache-semantics reads request directives: asked of
 * a response that is fresh for a year and one second old.
 */
export function requestWantsFresh(requestHeaders: HeaderRecord): boolean {
  const headers: Record<string, string> = {};
  for (const name of ['cache-control', 'pragma'] as const) {
    if (requestHeaders[name] !== undefined)
      headers[name] = requestHeaders[name].replace(/\n/g, ', ');
  }
  if (!headers['cache-control'] && !headers.pragma)
    return false;
  const fresh = policyAt(200, { 'cache-control': 'max-age=31536000', age: '1' }, 0);
  return !fresh.satisfiesWithoutRevalidation({ url: '/', method: 'GET', headers });
}

function policyAt(status: number, headers: HeaderRecord, receivedAt: number): PolicyAt {
  PolicyAt.instant = receivedAt;
  // No request headers: the cache never keeps them, and a bundle's freshness does not depend on them.
  return new PolicyAt({ url: '/', method: 'GET', headers: {} }, { status, headers: { ...headers } }, { shared: true, immutableMinTimeToLive: MAX_LIFETIME_MS });
}

function clamp(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0)
    return 0;
  return Math.min(Math.round(ms), MAX_LIFETIME_MS);
}
