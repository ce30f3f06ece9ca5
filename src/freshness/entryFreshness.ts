import type { EntryMeta } from '../core/meta.js';
import type { EntryFacts } from './decide.js';
import { freshnessHeaders, hasExplicitFreshness, hasValidators, validatorsOf, type HeaderRecord } from './originHeaders.js';
import { originFreshness } from './policy.js';

export type FreshnessRecord = NonNullable<EntryMeta['freshness']>;

/**
 * The `freshness` record of an entry stored now from a 200 received by
 * machine `by`: immutable when its URL carries a version or the origin said
 * `immutable`, revalidated otherwise.
 */
export function freshnessOnStore(input: { status: number; responseHeaders: HeaderRecord; versioned: boolean; receivedAt: number; by: string }): FreshnessRecord {
  const headers = freshnessHeaders(input.responseHeaders);
  const origin = originFreshness(input.status, headers, input.receivedAt);
  return {
    kind: input.versioned || origin.immutable ? 'immutable' : 'revalidated',
    validatedAt: new Date(input.receivedAt).toISOString(),
    validatedBy: input.by,
    freshUntil: new Date(origin.freshUntil).toISOString(),
    headers,
    revalidations: 0,
  };
}

/**
 * The record after a `304` at `now`: the 304's freshness headers replace the
 * stored ones of the same name (RFC 9111 section 4.3.4), the freshness is
 * judged again from the merged headers, and the entry is immutable if it was
 * or if the origin now says so.
 */
export function freshnessOnNotModified(previous: FreshnessRecord, notModifiedHeaders: HeaderRecord, now: number, status: number, by: string): FreshnessRecord {
  const headers = { ...previous.headers, ...freshnessHeaders(notModifiedHeaders) };
  const origin = originFreshness(status, headers, now);
  return {
    kind: previous.kind === 'immutable' || origin.immutable ? 'immutable' : 'revalidated',
    validatedAt: new Date(now).toISOString(),
    validatedBy: by,
    freshUntil: new Date(origin.freshUntil).toISOString(),
    headers,
    revalidations: previous.revalidations + 1,
  };
}

/**
 * The freshness record of an entry, or the one an entry written before the
 * cache revalidated stands for: immutable when its URL is versioned, else
 * revalidated and already stale, with the validators among its stored
 * headers, so it is checked with the origin at its next use, not thrown away.
 */
export function freshnessOf(meta: EntryMeta): FreshnessRecord {
  if (meta.freshness)
    return meta.freshness;
  return {
    kind: meta.version !== null ? 'immutable' : 'revalidated',
    validatedAt: meta.storedAt,
    freshUntil: meta.storedAt,
    headers: freshnessHeaders(meta.headers),
    revalidations: 0,
  };
}

/** The facts `decide()` needs, in epoch ms. */
export function entryFacts(meta: EntryMeta): EntryFacts {
  const freshness = freshnessOf(meta);
  return {
    immutable: freshness.kind === 'immutable',
    storedAt: Date.parse(meta.storedAt),
    validatedAt: Date.parse(freshness.validatedAt),
    validatedBy: freshness.validatedBy,
    freshUntil: Date.parse(freshness.freshUntil),
    expiresAt: Date.parse(meta.expiresAt),
    hasValidators: hasValidators(validatorsOf(freshness.headers)),
    freshForTheRun: !hasExplicitFreshness(freshness.headers) && freshness.headers['last-modified'] === undefined,
  };
}

/**
 * An entry the origin gave no way to check cheaply: not immutable, and
 * neither an ETag nor a Last-Modified. Every check downloads it whole.
 */
export function withoutValidators(meta: EntryMeta): boolean {
  const facts = entryFacts(meta);
  return !facts.immutable && !facts.hasValidators;
}
