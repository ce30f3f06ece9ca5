import type { EntryMeta } from '../../core/meta.js';
import { entryFacts, freshnessOf, withoutValidators } from '../../freshness/entryFreshness.js';
import { validatorsOf } from '../../freshness/originHeaders.js';

/** How an entry stays fresh, as the CLI reports it. Times are ISO. */
export interface FreshnessInfo {
  /** `immutable`: used until it expires without asking; `revalidated`: checked with the origin (conditional request). */
  readonly kind: 'immutable' | 'revalidated';
  /** The validators a conditional request sends back; none means the entry is fetched whole when checked. */
  readonly validators: { readonly etag: string | null; readonly lastModified: string | null };
  /** When the origin last confirmed this body (stored, or answered 304). */
  readonly validatedAt: string;
  /** Until when the origin's headers let it be used without asking (revalidated entries). */
  readonly freshUntil: string | null;
  /** 304s received for this body. */
  readonly revalidations: number;
  /** The last 304, if any, and how long ago. */
  readonly lastRevalidatedAt: string | null;
  readonly lastRevalidatedAgoMs: number | null;
  /** Written by a release that did not record freshness: judged from its URL and stored headers. */
  readonly legacy: boolean;
  /** Unversioned, and neither an ETag nor a Last-Modified: every run downloads it whole, once. */
  readonly withoutValidators: boolean;
  /** The origin gave no freshness and no Last-Modified: fresh for the rest of the run that checked it. */
  readonly freshForTheRun: boolean;
}

/** What `status`, `list` and `show` say of an entry without validators. */
export const NO_VALIDATORS_FIX = 'serve it with an ETag or Last-Modified, version its URL, or set revalidate: \'never\' for its rule';

export function freshnessInfo(meta: EntryMeta, now: number): FreshnessInfo {
  const freshness = freshnessOf(meta);
  const { etag, lastModified } = validatorsOf(freshness.headers);
  return {
    kind: freshness.kind,
    validators: { etag: etag ?? null, lastModified: lastModified ?? null },
    validatedAt: freshness.validatedAt,
    freshUntil: freshness.kind === 'revalidated' ? freshness.freshUntil : null,
    revalidations: freshness.revalidations,
    lastRevalidatedAt: freshness.revalidations > 0 ? freshness.validatedAt : null,
    lastRevalidatedAgoMs: freshness.revalidations > 0 ? now - Date.parse(freshness.validatedAt) : null,
    legacy: meta.freshness === undefined,
    withoutValidators: withoutValidators(meta),
    freshForTheRun: freshness.kind === 'revalidated' && entryFacts(meta).freshForTheRun,
  };
}

/** `ETag, Last-Modified`, `ETag`, or `none`. */
export function validatorNames(info: FreshnessInfo): string {
  const names = [info.validators.etag !== null ? 'ETag' : undefined, info.validators.lastModified !== null ? 'Last-Modified' : undefined].filter(Boolean);
  return names.length ? names.join(', ') : 'none';
}
