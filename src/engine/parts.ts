import type { BundleCacheError } from '../errors.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { ResolvedRule } from '../rules/rules.js';

/** What truly every piece of one open cache shares; anything else is handed to the pieces that use it. */
export interface EngineParts {
  readonly options: ResolvedOptions;
  /** Counts an error, logs it and emits it as a `'problem'` event. */
  report(error: BundleCacheError, url?: string): void;
  /** Background work (index updates, eviction, uploads) that `close()` waits for. */
  track(work: Promise<unknown>): void;
}

/** A cacheable request, after rule matching and key computation. */
export interface CacheRequest {
  readonly key: string;
  /** Normalized URL (no credentials, no fragment). */
  readonly url: string;
  readonly rule: ResolvedRule;
  readonly requestHeaders: Readonly<Record<string, string>>;
  /** The request asks for a copy checked with the origin (`Cache-Control: no-cache`…). */
  readonly wantsFresh: boolean;
  /** When the request reached the cache (epoch ms, the cache's clock). */
  readonly arrivedAt: number;
  /** Sent by an early check, ahead of the page's own request, which is left any failure (see earlyChecks.ts). */
  readonly early?: true;
}
