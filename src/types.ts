import type { ByteSize, Duration } from './options/units.js';
import type { ServeMode } from './loopback/servePlan.js';

export type { ByteSize, Duration, ServeMode };

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
}

/** Counters of one `BundleCache` instance (this process), since it was opened. */
export interface BundleCacheStats {
  /** Requests the route handler saw (cached or not). */
  requests: number;
  /** Served from the memory tier. */
  memoryHits: number;
  /** Served from the disk tier. */
  diskHits: number;
  /** Matched a rule but had to go to the network (stored unless the response forbade it). */
  misses: number;
  /** Not cacheable (no rule matched, not a GET, a Range request…) and left to the browser. */
  bypassed: number;
  /** Something went wrong inside the cache and the request was degraded to the network (or, offline, failed). */
  errors: number;
  /** Body bytes served from memory or disk. */
  bytesFromCache: number;
  /** Body bytes of misses fetched from the network. */
  bytesFromNetwork: number;
  /** `(memoryHits + diskHits) / (memoryHits + diskHits + misses)`, 0 when nothing was cacheable. */
  hitRate: number;
}

/** Where a response came from. */
export type ServeSource = 'memory' | 'disk' | 'network';

/** Emitted as `'served'` for every cacheable request the cache answered. */
export interface ServedEvent {
  url: string;
  source: ServeSource;
  /** Body bytes sent to the page. */
  bytes: number;
  /** Time from the route event to the response being handed to the browser, in ms. */
  durationMs: number;
  /** True when the response was written to the cache. */
  stored: boolean;
  /** How the body reached the browser: from the cache's loopback server, or through `route.fulfill()`. */
  via: 'loopback' | 'fulfill';
}
