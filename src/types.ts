import type { BrowserContext, Response } from 'playwright';

/** Durations are milliseconds, or strings like '500ms', '30s', '5m', '24h', '7d', '1h30m'. */
export type Duration = number | string;
/** Byte sizes are bytes, or strings like '512KB', '100MB', '1GB' (1 KB = 1024 bytes). */
export type ByteSize = number | string;

/**
 * How hits are handed to the browser:
 * - `'loopback'`: `route.continue()` to the cache's 127.0.0.1 server; Chromium fetches the bytes itself.
 * - `'fulfill'`: `route.fulfill()` with the body, through the DevTools protocol.
 * - `'auto'`: loopback where it works (http; https when the context ignores HTTPS errors; a local
 *   browser), fulfill elsewhere.
 */
export type ServeMode = 'auto' | 'loopback' | 'fulfill';

/**
 * The `remote` option: a URL, or an object with the URL and its settings.
 * `false` means no remote, whatever `BUNDLE_CACHE_REMOTE` says.
 */
export type RemoteOption = string | false | RemoteOptionObject;

export interface RemoteOptionObject {
  /** `redis://[user:pass@]host:port[/db]`, `rediss://…` (TLS), or `http(s)://[user:pass@]host/prefix/` (Bazel HTTP cache layout). */
  url: string;
  /** Never write anything (records, bodies, locks). Default false; `BUNDLE_CACHE_REMOTE_READONLY=1` makes it true, and nothing makes a read-only remote writable. */
  readOnly?: boolean;
  /** HMAC-SHA256 key for entry records: at least 32 characters. Default `$BUNDLE_CACHE_REMOTE_SECRET`. With it, unsigned or mis-signed records are ignored. */
  secret?: string;
  /** Deadline to connect and for each small operation, in ms or a duration string. Default 2 s; a body gets this plus its size at 10 MB/s. */
  timeout?: Duration;
  /** Redis key prefix. Default `bundle-cache:`. For HTTP, the URL's path is the prefix. */
  prefix?: string;
}

/**
 * When an unversioned entry is checked with the origin (see `revalidate`):
 * at its first use in each run (`'run'`), as the origin's headers say
 * (`'http'`), before every use (`'always'`), or never (`'never'`).
 */
export type RevalidateMode = 'run' | 'http' | 'always' | 'never';

/**
 * What decides whether a request is cached: a glob (`'**' + '/main.dart.js'`,
 * `'*.wasm'`), a RegExp tested against the full URL, or a predicate on the URL.
 * Globs match with or without the query string; a glob without `/` matches
 * the file name.
 */
export type RuleMatcher = string | RegExp | ((url: URL) => boolean);

export interface BundleRule {
  /** Which URLs this rule caches. */
  match: RuleMatcher;
  /** How long an entry stored by this rule stays fresh on disk. Default: the top-level `maxAge`. */
  maxAge?: Duration;
  /** A name shown in logs, meta.json and `bundle-cache status`. Default: the glob or RegExp source. */
  name?: string;
  /** When this rule's unversioned entries are checked with the origin. Default: the top-level `revalidate`. */
  revalidate?: RevalidateMode;
}

/**
 * - `'default'`: serve from the cache, fetch and store on a miss.
 * - `'refresh'`: refetch every entry stored before this cache was opened, then serve as usual.
 * - `'offline'`: never touch the network; a miss fails the request (`ERR_OFFLINE_MISS`).
 * - `'off'`: install no route at all.
 */
export type CacheMode = 'default' | 'refresh' | 'offline' | 'off';

export interface BundleCacheOptions {
  /** Cache root. Default: `$BUNDLE_CACHE_DIR`, else `./cache` (relative to the working directory). */
  dir?: string;
  /**
   * Which requests are cached, first match wins. Default: `defaultRules`
   * (`main.dart.js`, `canvaskit.js`/`skwasm.js`, `*.wasm`, and JS/CSS/font
   * files whose URL carries a version). Spread `defaultRules` to extend them.
   */
  rules?: Array<BundleRule | RuleMatcher>;
  /** How long a disk entry is fresh. Default: `'24h'`. */
  maxAge?: Duration;
  memory?: {
    /** Byte budget of the in-memory tier, least recently used evicted first. Default: `'100MB'`. `0` disables it. */
    maxBytes?: ByteSize;
    /** How long an entry stays in memory. Default: `'5m'`. */
    ttl?: Duration;
  };
  disk?: {
    /** Byte budget of the disk tier, least recently used evicted first. Default: `'1GB'`. */
    maxBytes?: ByteSize;
  };
  /** Version-aware invalidation: a new build of a bundle supersedes the old one. Default: `true`. */
  versioning?: boolean;
  /**
   * When entries are checked with the origin (a conditional request:
   * `If-None-Match` / `If-Modified-Since`; a `304` costs no body). Entries
   * whose URL carries a version, or that the origin marked `immutable`, are
   * used until `maxAge` without asking; every other entry is:
   * - `'run'`: used while the origin's headers say it is fresh (RFC 9111),
   *   never past `maxAge`, and checked once per run at its first use (a
   *   check by any process or machine during the run counts: a run is a
   *   `BundleCache`, or the fixture's whole `playwright test`), so a deploy
   *   at the same URL is seen by the next run;
   * - `'http'`: used exactly as the origin's headers say, like a browser; a
   *   response with no freshness and no Last-Modified is fresh for the run;
   * - `'always'`: checked before every use (versioned entries too);
   * - `'never'`: used until `maxAge`, then fetched whole; no conditional
   *   requests (for sites that punish them).
   * Default: `$BUNDLE_CACHE_REVALIDATE`, else `'run'`. Also settable per rule.
   */
  revalidate?: RevalidateMode;
  /**
   * When checking an entry with the origin fails (a network error, 500, 502,
   * 503, 504): `false` gives the page what the origin sent, unless the
   * origin's own `stale-if-error` allows the stored copy; `true` serves the
   * stored copy instead (within `maxAge`); a duration does so up to that long
   * after the copy went stale. Never for a response marked `must-revalidate`
   * or `no-cache`: the page then always gets the origin's answer. Default:
   * `false`.
   */
  staleIfError?: boolean | Duration;
  /**
   * A shared tier behind memory and disk, for a fleet of machines:
   * `'redis://[user:pass@]host:port[/db]'`, `'rediss://…'`, an HTTP blob store
   * `'http(s)://host/prefix/'` (Bazel layout: `cas/<sha256>`, `ac/<sha256 of
   * the key>`; nginx WebDAV, bazel-remote), or `{ url, readOnly?, secret?,
   * timeout?, prefix? }`; `false` for none. Advisory: a remote that fails is a
   * miss, never a failed page. Default: `$BUNDLE_CACHE_REMOTE` (with
   * `$BUNDLE_CACHE_REMOTE_SECRET`, `$BUNDLE_CACHE_REMOTE_READONLY`), else none.
   */
  remote?: RemoteOption;
  /** Default: `$BUNDLE_CACHE_MODE`, else `'default'`. */
  mode?: CacheMode;
  /**
   * How hits reach the browser. `'loopback'`: Chromium fetches them from the
   * cache's own server on 127.0.0.1 (as fast as a local server); `'fulfill'`:
   * `route.fulfill()` through the DevTools protocol; `'auto'`: loopback where
   * it works (http, and https when the context ignores HTTPS errors), fulfill
   * elsewhere. `'loopback'` also uses it for https: launch Chromium with
   * `cache.httpsLaunchArgs()` so it accepts the cache's certificate.
   * Default: `'auto'`.
   */
  serve?: ServeMode;
  /** The clock, in epoch milliseconds. Default: `Date.now`. For tests. */
  now?: () => number;
  /**
   * Warmed sessions: `key`, and the sessions the fixture's
   * `bundleCacheSession` (and `cache.session(name)` without options) can name.
   * Default: none declared, `key` from `$BUNDLE_CACHE_SESSION_KEY`.
   */
  sessions?: SessionsOptions;
}

/**
 * Which responses mean the site rejected a session: one of these statuses
 * (`[403, 452]` by default), or a predicate on the response. Only responses
 * of the session's origins to documents, fetch and XHR requests are asked.
 */
export type RewarmOn = readonly number[] | ((response: Response) => boolean | Promise<boolean>);

/** How one warmed session is earned, kept and retired. */
export interface SessionOptions {
  /**
   * Earns the state with pages of a fresh context made for it (with the
   * same context options as the contexts that will use it): log in, pass a
   * consent wall or a bot check. Whatever cookies, localStorage and
   * IndexedDB it leaves are stored. Required.
   */
  warm: (context: BrowserContext) => Promise<unknown> | unknown;
  /** How long a stored state is used, at most (cookies that expire sooner end it sooner). Default: `'1h'`. */
  ttl?: Duration;
  /** Which responses reject the session (it is dropped and warmed again). Default: `[403, 452]`; `429` is never one by default. */
  rewarmOn?: RewarmOn;
  /**
   * The circuit breaker: after `failures` failed warm-ups or rejections
   * within `window`, warming stops with `ERR_SESSION_BREAKER` until the
   * oldest of them is older than `window`. Default: `{ failures: 3, window: '10m' }`.
   */
  breaker?: { failures?: number; window?: Duration };
}

/**
 * `key` encrypts the session files (AES-256-GCM; a secret of at least 32
 * characters, e.g. `openssl rand -base64 32`). Default: `$BUNDLE_CACHE_SESSION_KEY`;
 * without one the files are plain JSON (0600). Every other property declares
 * a session by its name (so no session declared here may be named `key`).
 */
export interface SessionsOptions {
  key?: string;
  [name: string]: SessionOptions | string | undefined;
}

/** Counters of `stats().sessions`, for this process. */
export interface SessionStats {
  /** Contexts (and `storageState()` calls) given a stored state without warming it in this process. */
  reused: number;
  /** Warm-ups this process ran and stored. */
  warmed: number;
  /** Rejections seen by contexts this process made for a session. */
  rejected: number;
}

/** Emitted as `'session'`. Never carries a cookie or storage value. */
export interface SessionEvent {
  /**
   * - `warmed`: `warm()` ran and its state was stored as `generation`;
   * - `reused`: a stored state was handed to a context;
   * - `rejected`: a response matched `rewarmOn` (`dropped` says whether the state was dropped by it);
   * - `expired`: the stored state reached its TTL or the expiry of a cookie.
   */
  type: 'warmed' | 'reused' | 'rejected' | 'expired';
  name: string;
  /** The generation of the stored state the event is about (1 for the first warm-up). */
  generation: number;
  /** Why: `'nothing stored'`, `'expired'`, `'rejected'`, `'unreadable'`, `'invalidated'` (warmed); `'status 452 from http://host/path'` (rejected); `'ttl'`, `'cookie "sid"'` (expired). */
  reason?: string;
  /** `rejected`: true when this rejection dropped the stored state; false when a newer generation was there already, or it was dropped before. */
  dropped?: boolean;
  /** `warmed`: how long `warm()` and capturing its state took, in ms. */
  durationMs?: number;
}

/** Counters of one `BundleCache` instance (this process), since it was opened. */
export interface BundleCacheStats {
  /** Requests the route handler saw (cached or not). */
  requests: number;
  /** Served from the memory tier. */
  memoryHits: number;
  /** Served from the disk tier. */
  diskHits: number;
  /** Served from the shared (remote) tier: found there, checked, written to disk, served. */
  remoteHits: number;
  /** Matched a rule but had to go to the network (stored unless the response forbade it). */
  misses: number;
  /** Not cacheable (no rule matched, not a GET, a Range request…), or arriving while the cache closes, and left to the browser. */
  bypassed: number;
  /**
   * Cacheable, but abandoned before the cache answered: the page or context
   * closed while it was fetched or waited for. Every request is in exactly one
   * of `memoryHits`, `diskHits`, `remoteHits`, `misses`, `bypassed` and `aborted`.
   */
  aborted: number;
  /** Something went wrong inside the cache and the request was degraded to the network (or, offline, failed). */
  errors: number;
  /** Body bytes served from memory or disk. */
  bytesFromCache: number;
  /** Body bytes of misses fetched from the network. */
  bytesFromNetwork: number;
  /** Body bytes served from the remote tier. */
  bytesFromRemote: number;
  /** Problems with the remote tier (each a miss or a dropped upload, never a failed page); also counted in `errors`. */
  remoteErrors: number;
  /** Entries uploaded to the remote tier (record written). */
  uploads: number;
  /** Conditional requests sent to the origin to check a stored entry. */
  revalidations: number;
  /** Conditional requests the origin answered `304 Not Modified`: served from the cache, no body downloaded. */
  revalidated: number;
  /**
   * Entries served on a check that another process on the cache dir, or
   * another machine through the remote, made during this run (each entry
   * counted once): checks this process did not have to send.
   */
  checksBorrowed: number;
  /**
   * Bundles served this run whose origin sent no validators (no ETag, no
   * Last-Modified) for an unversioned URL: each is downloaded whole once
   * per run (see the `'problem'` event `ERR_NO_VALIDATORS`).
   */
  withoutValidators: number;
  /** `(memoryHits + diskHits + remoteHits) / (those + misses)`, 0 when nothing was cacheable. */
  hitRate: number;
  /** Warmed sessions: reused, warmed and rejected in this process. */
  sessions: SessionStats;
}

/** Where a response came from: a tier of the cache, or the origin. */
export type ServeSource = 'memory' | 'disk' | 'remote' | 'network';

/** Emitted as `'served'` for every cacheable request the cache answered. */
export interface ServedEvent {
  /** The request's URL (normalized). */
  url: string;
  /** Set when the origin redirected the request and the cache followed: the URL whose response was served (and cached). */
  redirectedTo?: string;
  source: ServeSource;
  /** Body bytes sent to the page. */
  bytes: number;
  /** Time from the route event to the response being handed to the browser, in ms. */
  durationMs: number;
  /** True when the response was written to the cache. */
  stored: boolean;
  /** How the body reached the browser: from the cache's loopback server, through `route.fulfill()`, or from `cache.proxy()`. */
  via: 'loopback' | 'fulfill' | 'proxy';
  /** True when the origin was asked first and answered `304 Not Modified` (the body is the cache's). */
  revalidated: boolean;
}

/** Options of `cache.proxy()` (and `bundle-cache proxy`). */
export interface ProxyOptions {
  /** Port on 127.0.0.1 (the proxy never listens elsewhere). Default: 8377; `0` picks a free one. */
  port?: number;
  /**
   * Hosts whose HTTPS the proxy opens (terminates TLS with its CA) so their
   * requests can be cached: `'app.example.com'`, `'*.example.com'` (any
   * subdomain), `'localhost:8443'` (that port only). A `CONNECT` to any other
   * host is a blind tunnel. Default: every host a rule can match (rules whose
   * glob spells out a host name them; the default rules match any host).
   */
  hosts?: string[];
  /**
   * Accept an origin's certificate that Node cannot verify (a self-signed
   * staging host). Default: `false`: origins are verified with Node's CAs plus
   * `NODE_EXTRA_CA_CERTS`.
   */
  ignoreHTTPSErrors?: boolean;
}

