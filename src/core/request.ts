import type { RevalidateMode } from '../types.js';

/** What the cache needs of the rule that matched a request (see `rules/`). */
export interface RulePolicy {
  /** Shown in logs, meta.json and `bundle-cache status`. */
  readonly name: string;
  /** How long an entry of this rule may be used after the origin last confirmed it. */
  readonly maxAgeMs: number;
  readonly revalidate: RevalidateMode;
}

/** A rule after validation: its policy and a ready matcher. */
export interface ResolvedRule extends RulePolicy {
  readonly test: (url: URL) => boolean;
}

/** A cacheable request, after rule matching and key computation. */
export interface CacheRequest {
  readonly key: string;
  /** Normalized URL (no credentials, no fragment). */
  readonly url: string;
  readonly rule: RulePolicy;
  /** Lower-cased names. Sent to the origin with the request; never stored (Vary'd values only as digests). */
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** The request asks for a copy checked with the origin (`Cache-Control: no-cache`…). */
  readonly wantsFresh: boolean;
  /** When the request reached the cache (epoch ms, the cache's clock). */
  readonly arrivedAt: number;
  /** Sent by an early check, ahead of the page's own request, which is left any failure (see route/earlyChecks.ts). */
  readonly early?: true;
}
