import type { BundleCacheError } from '../errors.js';
import type { SessionEvent } from '../types.js';

/** How the session tier tells its cache what happened. */
export interface SessionSignals {
  /** A `'session'` event: a state warmed, reused, rejected or found expired. */
  emit(event: SessionEvent): void;
  /** Something went wrong inside the cache (a damaged file): counted in `stats().errors`, emitted as `'problem'`. */
  report(error: BundleCacheError): void;
  /** Something the site did (a 429): emitted as `'problem'`, not counted as a cache error. */
  notify(error: BundleCacheError): void;
}
