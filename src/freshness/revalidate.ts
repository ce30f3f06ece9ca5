import type { CachedResponse, EntryMeta } from '../core/meta.js';
import { isClosedError } from '../http/closed.js';
import type { OriginResponse } from '../core/origin.js';
import { headersToStore } from '../http/responseHeaders.js';
import { freshnessOf, freshnessOnNotModified } from './entryFreshness.js';
import { validatorsOf } from './originHeaders.js';
import { notModifiedMatches, originFreshness, staleIfErrorAllows } from './policy.js';

/** What a conditional request to the origin came back with. */
export type RevalidationOutcome =
  /** `304` for the stored body: `meta` is the entry with refreshed headers and freshness (not yet written). */
  | { readonly kind: 'not-modified'; readonly meta: EntryMeta }
  /** A `304` that does not select the stored body (another strong ETag): fetch it whole. */
  | { readonly kind: 'mismatched' }
  /** A full response (a new body, or a 4xx): handled as any fetched response. */
  | { readonly kind: 'modified'; readonly response: OriginResponse }
  /**
   * The origin failed (network error, or 500/502/503/504). `stale` says
   * whether the stored copy may be served instead; `response` is what the
   * origin sent, if anything.
   */
  | { readonly kind: 'failed'; readonly reason: string; readonly response: OriginResponse | undefined; readonly stale: boolean };

const ERROR_STATUSES = new Set([500, 502, 503, 504]);
/** Headers of a 304 that describe the wire, not the stored body (as http-cache-semantics excludes them). */
const NOT_UPDATED = new Set(['content-length', 'content-encoding', 'transfer-encoding', 'content-range', 'content-type']);

export interface RevalidateInput {
  readonly stored: CachedResponse;
  /** Asks the origin for the entry's URL with these extra request headers (the conditional ones). */
  readonly fetchOrigin: (extraHeaders: Record<string, string>) => Promise<OriginResponse>;
  readonly now: () => number;
  readonly ruleMaxAgeMs: number;
  /** This machine (see `hostId`), recorded as the one that made the check. */
  readonly host: string;
  /** The user's own allowance to serve a stale copy when the origin fails: ms past its freshness, or false. */
  readonly staleIfErrorMs: number | false;
}

/** Sends one conditional request for a stored entry and says what came back. Closed pages throw, as fetches do. */
export async function revalidate(input: RevalidateInput): Promise<RevalidationOutcome> {
  const { stored, fetchOrigin, now } = input;
  const freshness = freshnessOf(stored.meta);
  let response: OriginResponse;
  try {
    response = await fetchOrigin(conditionalHeaders(freshness.headers));
  } catch (error) {
    if (isClosedError(error))
      throw error;
    const reason = (error as Error).message.split('\n')[0] ?? 'fetch failed';
    return { kind: 'failed', reason, response: undefined, stale: mayServeStale(input, undefined) };
  }
  if (response.status === 304) {
    if (!notModifiedMatches(stored.meta.status, freshness.headers, response.headers, now()))
      return { kind: 'mismatched' };
    return { kind: 'not-modified', meta: refreshedMeta(stored.meta, response.headers, now(), input.ruleMaxAgeMs, input.host) };
  }
  if (ERROR_STATUSES.has(response.status))
    return { kind: 'failed', reason: `status ${response.status}`, response, stale: mayServeStale(input, response.status) };
  return { kind: 'modified', response };
}

/** `If-None-Match` from the stored ETag, `If-Modified-Since` from Last-Modified (RFC 9110 section 13.1). */
export function conditionalHeaders(freshnessHeaders: Readonly<Record<string, string>>): Record<string, string> {
  const { etag, lastModified } = validatorsOf(freshnessHeaders);
  return {
    ...(etag !== undefined ? { 'if-none-match': etag } : {}),
    ...(lastModified !== undefined ? { 'if-modified-since': lastModified } : {}),
  };
}

/** The entry after a 304 at `now` on machine `host`: headers updated from the 304, freshness judged again, `maxAge` counted anew. */
export function refreshedMeta(meta: EntryMeta, notModifiedHeaders: Readonly<Record<string, string>>, now: number, ruleMaxAgeMs: number, host: string): EntryMeta {
  const updates = Object.fromEntries(Object.entries(notModifiedHeaders).filter(([name]) => !NOT_UPDATED.has(name.toLowerCase())));
  return {
    ...meta,
    headers: { ...meta.headers, ...headersToStore(updates, meta.url) },
    expiresAt: new Date(now + ruleMaxAgeMs).toISOString(),
    freshness: freshnessOnNotModified(freshnessOf(meta), notModifiedHeaders, now, meta.status, host),
  };
}

/**
 * A stale copy may stand in for a failed origin only if the origin does not
 * forbid it (`must-revalidate`, `no-cache`…), and then when its
 * `stale-if-error` allows it or the user's `staleIfError` does.
 */
function mayServeStale(input: RevalidateInput, failedStatus: number | undefined): boolean {
  const { stored, now, staleIfErrorMs } = input;
  const freshness = freshnessOf(stored.meta);
  const validatedAt = Date.parse(freshness.validatedAt);
  const origin = originFreshness(stored.meta.status, freshness.headers, validatedAt);
  if (origin.forbidsStale)
    return false;
  if (staleIfErrorAllows(stored.meta.status, freshness.headers, validatedAt, now(), failedStatus))
    return true;
  return staleIfErrorMs !== false && now() - Date.parse(freshness.freshUntil) <= staleIfErrorMs;
}
