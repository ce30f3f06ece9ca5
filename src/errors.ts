/**
 * Every error the cache raises is a `BundleCacheError`. Callers branch on
 * `code`, never on the message; `details` carries what is needed to act.
 */
export type BundleCacheErrorCode =
  /** An option passed to `BundleCache.open()` (or the fixture) is invalid. */
  | 'ERR_OPTIONS'
  /** `mode: 'offline'` and the request is not in the cache. */
  | 'ERR_OFFLINE_MISS'
  /** A disk entry failed validation: bad meta.json, wrong size or sha256. */
  | 'ERR_CORRUPT_ENTRY'
  /** Waiting for another writer's lock took longer than allowed. */
  | 'ERR_LOCK_TIMEOUT'
  /** A lock we held was taken over (we were too slow to refresh it). */
  | 'ERR_LOCK_COMPROMISED'
  /** Writing an entry or the index failed (full disk, permissions, I/O). */
  | 'ERR_STORE_FAILED'
  /** A bug inside the cache: the request went to the network; please report the message. */
  | 'ERR_INTERNAL'
  /** Fetching from the origin failed. */
  | 'ERR_FETCH_FAILED'
  /** Checking a stored entry with the origin failed (network error, 5xx); `details.servedStale` says what the page got. */
  | 'ERR_REVALIDATE_FAILED'
  /**
   * A bundle has no validators (no ETag, no Last-Modified) and no version in
   * its URL: it is downloaded whole once per run. Emitted once per URL per
   * run, not counted in `errors`; `details` has the URL, its size and the rule.
   */
  | 'ERR_NO_VALIDATORS'
  /** A path would leave the cache root, or a symlink was found where a file belongs. */
  | 'ERR_UNSAFE_PATH'
  /** Hits could not go through the loopback server in a context; they are fulfilled there instead. */
  | 'ERR_LOOPBACK_UNAVAILABLE'
  /** The cache was used after `close()`. */
  | 'ERR_CLOSED'
  /** No Chromium could be found to launch. */
  | 'ERR_NO_BROWSER'
  /** The remote tier could not be reached, timed out, or answered with a server error: a miss, or a dropped upload. */
  | 'ERR_REMOTE_UNAVAILABLE'
  /** The remote refused a write (401/403/413, full, read-only credentials): reported once, uploads stop for the run. */
  | 'ERR_REMOTE_WRITE_REFUSED'
  /** A remote record or body failed validation (not JSON, wrong shape or key, wrong size or sha256): a miss. */
  | 'ERR_REMOTE_CORRUPT'
  /** A remote record has a missing or wrong signature while a secret is set: ignored, a miss. */
  | 'ERR_REMOTE_UNTRUSTED'
  /** A session's `warm()` threw, or left no cookies and no storage; nothing was stored. */
  | 'ERR_SESSION_WARM'
  /** A session failed (warm-ups, rejections) too often in a short window; it is not warmed again until the window passes. */
  | 'ERR_SESSION_BREAKER'
  /** The site rejected a session (a response matched `rewarmOn`) where no second try is left. */
  | 'ERR_SESSION_REJECTED'
  /** A stored session could not be read (damaged, wrong key, not encrypted while a key is set); it is warmed again. */
  | 'ERR_SESSION_UNREADABLE'
  /** The site answered 429 to a session's context: back off. Not a rejection; the session is kept. */
  | 'ERR_SESSION_THROTTLED'
  /** The proxy could not listen on its port (in use, not allowed); `details.port` names it. */
  | 'ERR_PROXY_LISTEN';

export class BundleCacheError extends Error {
  override readonly name = 'BundleCacheError';
  readonly code: BundleCacheErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: BundleCacheErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.details = details;
  }
}

export function isBundleCacheError(error: unknown, code?: BundleCacheErrorCode): error is BundleCacheError {
  return error instanceof BundleCacheError && (code === undefined || error.code === code);
}

/** The errno-style code of a Node.js system error, if any. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Anything thrown inside the cache, as a `BundleCacheError` (unknown failures become `ERR_STORE_FAILED`). */
export function asCacheError(error: unknown): BundleCacheError {
  if (isBundleCacheError(error))
    return error;
  return new BundleCacheError('ERR_STORE_FAILED', (error as Error)?.message ?? String(error), {}, { cause: error });
}
