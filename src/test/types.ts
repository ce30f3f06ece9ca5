import type { BundleCache } from '../cache/bundleCache.js';
import type { TestSession } from './testSession.js';
import type { BundleCacheOptions, ProxyOptions } from '../types.js';
import type { BundleCacheProxy } from '../proxy/bundleCacheProxy.js';
import type { BundleCacheVia } from './via.js';

export type { BundleCacheVia } from './via.js';

/**
 * Which browser contexts get the worker's cache:
 * - `'builtin'`: the built-in `context` fixture (and so `page`) of every test;
 * - `'all'`: also every context made with `browser.newContext()` or
 *   `browser.newPage()` in the worker, hooks included.
 */
export type BundleCacheContexts = 'builtin' | 'all';

/**
 * The options alone, to type a config: `defineConfig<{}, BundleCacheWorkerOptions>({ use: { bundleCache: { ... } } })`.
 */
export interface BundleCacheWorkerOptions {
  /** See `BundleCacheWorkerFixtures.bundleCache`. */
  bundleCache: BundleCacheOptions;
  /** See `BundleCacheContexts`. Default: `'builtin'`. */
  bundleCacheContexts: BundleCacheContexts;
  /** See `BundleCacheVia`. Default: `'route'`. */
  bundleCacheVia: BundleCacheVia;
  /** See `BundleCacheWorkerFixtures.bundleCacheProxy`. */
  bundleCacheProxy: ProxyOptions;
}

/** Worker-scoped fixtures and options of `playwright-bundle-cache/test`. */
export interface BundleCacheWorkerFixtures {
  /**
   * Option: the cache's options, exactly those of `BundleCache.open()`
   * (validated the same way), set in `playwright.config.ts` `use:` or with
   * `test.use()`. Default: `{}` (dir `$BUNDLE_CACHE_DIR` or `./cache`).
   *
   * Read in a test with the `test` of this package, it is the opened cache,
   * except in a file that sets it with `test.use()`: Playwright then hands the
   * test the options as given. `bundleCacheInstance` is the cache everywhere.
   */
  bundleCache: BundleCacheOptions | BundleCache;
  /** The worker's opened cache: one per worker, shared by its tests, closed after its last test. */
  bundleCacheInstance: BundleCache;
  /** Option: which contexts get the cache. Default: `'builtin'`. */
  bundleCacheContexts: BundleCacheContexts;
  /** Option: how the browser reaches the cache, the route or the proxy (`BundleCacheVia`). Default: `'route'`. Worker-scoped: set it in the config or at the top of a file. */
  bundleCacheVia: BundleCacheVia;
  /**
   * Option: the options of the worker's proxy (`cache.proxy()`'s) when
   * `bundleCacheVia` is `'proxy'`, e.g. `{ ignoreHTTPSErrors: true }` for a
   * self-signed staging origin. Default: `{}`, with a free port per worker.
   */
  bundleCacheProxy: ProxyOptions;
  /** Internal: the worker's proxy when `bundleCacheVia` is `'proxy'`. */
  _bundleCacheProxy: BundleCacheProxy | undefined;
}

/** The test options alone, to type a config: `defineConfig<BundleCacheTestOptions, BundleCacheWorkerOptions>(…)`. */
export interface BundleCacheTestOptions {
  /** See `BundleCacheTestFixtures.bundleCacheSession`. */
  bundleCacheSession: string | undefined;
}

/** Test-scoped fixtures of `playwright-bundle-cache/test`. */
export interface BundleCacheTestFixtures {
  /**
   * Option: the name of a session declared in `bundleCache.sessions`
   * (`use: { bundleCache: { sessions: { alice: { warm, ttl } } } }`): the
   * built-in `context` (and `page`) starts with its stored state, warmed
   * once for the whole run. A test whose context the site rejects fails,
   * saying the session was dropped, so `retries` run it with a fresh one.
   * Settable with `test.use()` anywhere, `describe` blocks included. Default: none.
   */
  bundleCacheSession: string | undefined;
  /** Internal: the session and state the built-in context was started with. */
  _bundleCacheSession: TestSession | undefined;
  /** Internal, automatic: records the test's own numbers and attaches them to its result. */
  _bundleCacheTest: void;
}
