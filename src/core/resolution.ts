import type { BundleCacheError } from '../errors.js';
import type { ServeSource } from '../types.js';
import type { CachedResponse } from './meta.js';
import type { CacheRequest } from './request.js';

/** The origin's answer, which may not be stored: handed to the client as it came (headers cleaned for replay). */
export interface Passed {
  readonly kind: 'passed';
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Why it was not stored: `status 404`, `set-cookie`, `end of body not proven: …`. */
  readonly reason: string;
}

/**
 * What `resolve()` made of a request, for a way in to hand to its client.
 * `request` is the entry's request: the one asked, or the target of the
 * redirects the cache followed for it.
 */
export type Resolution =
  /** A response to serve: from a tier (`stored` false), or fetched and stored now (`stored` true, source `'network'`). */
  | {
    readonly kind: 'served';
    readonly request: CacheRequest;
    readonly response: CachedResponse;
    readonly source: ServeSource;
    readonly stored: boolean;
    /** The origin was asked and answered `304 Not Modified` for the stored body. */
    readonly revalidated: boolean;
  }
  | (Passed & { readonly request: CacheRequest })
  /** Offline mode, and not cached. */
  | { readonly kind: 'offline'; readonly error: BundleCacheError }
  /** The cache could not: let the client fetch it itself; `reason` says why the fetch failed, when it did. */
  | { readonly kind: 'fallback'; readonly reason?: string }
  /** The page or context went away. */
  | { readonly kind: 'closed' };
