import {
  test as base,
  type Fixtures,
  type PlaywrightTestArgs,
  type PlaywrightTestOptions,
  type PlaywrightWorkerArgs,
  type PlaywrightWorkerOptions,
} from '@playwright/test';
import { attachNewContexts, checkContextsOption } from './contexts.js';
import { checkViaOption } from './via.js';
import { openFixtureCache } from './openFixtureCache.js';
import { TestRecorder } from './testRecorder.js';
import { ATTACHMENT_NAME, hasActivity } from './testReport.js';
import { offlineFailure } from './offlineFailure.js';
import { leaseForTest, rejectedTestError, startWithSession } from './testSession.js';
import type { BundleCacheTestFixtures, BundleCacheWorkerFixtures } from './types.js';

type BuiltinTestArgs = PlaywrightTestArgs & PlaywrightTestOptions;
type BuiltinWorkerArgs = PlaywrightWorkerArgs & PlaywrightWorkerOptions;

/**
 * Everything the cache needs, as one object to spread into a suite's own
 * `test.extend({ ...bundleCacheFixtures, ... })`. With it, `bundleCache` is
 * the option and `bundleCacheInstance` the opened cache.
 */
export const bundleCacheFixtures: Fixtures<BundleCacheTestFixtures, BundleCacheWorkerFixtures, BuiltinTestArgs, BuiltinWorkerArgs> = {
  bundleCache: [{}, { option: true, scope: 'worker' }],
  bundleCacheContexts: ['builtin', { option: true, scope: 'worker' }],
  bundleCacheVia: ['route', { option: true, scope: 'worker' }],
  bundleCacheProxy: [{}, { option: true, scope: 'worker' }],

  // Reads whatever `bundleCache` holds: the cache the `bundleCache` fixture
  // opened, or plain options when a file's test.use() replaced that fixture
  // (or when only these fixtures were spread into a suite's own test).
  bundleCacheInstance: [async ({ bundleCache }, use) => {
    const { cache, owned } = await openFixtureCache(bundleCache);
    await use(cache);
    if (owned)
      await cache.close();
  }, { scope: 'worker', title: 'open bundle cache', box: true }],

  _bundleCacheProxy: [async ({ bundleCacheInstance, bundleCacheVia, bundleCacheProxy }, use) => {
    if (checkViaOption(bundleCacheVia) !== 'proxy')
      return use(undefined);
    const proxy = await bundleCacheInstance.proxy({ port: 0, ...bundleCacheProxy });
    await use(proxy);
    await proxy.close();
  }, { scope: 'worker', title: 'start bundle cache proxy', box: true }],

  // Through the proxy, the worker's browser is launched with it (every context) and trusts its CA by SPKI.
  launchOptions: [async ({ launchOptions, _bundleCacheProxy }, use) => {
    if (!_bundleCacheProxy)
      return use(launchOptions);
    const { proxy, args } = _bundleCacheProxy.launchOptions;
    await use({ ...launchOptions, proxy, args: [...launchOptions.args ?? [], ...args] });
  }, { scope: 'worker', box: true }],

  browser: [async ({ browser, bundleCacheInstance, bundleCacheContexts, _bundleCacheProxy }, use) => {
    if (_bundleCacheProxy || checkContextsOption(bundleCacheContexts) !== 'all')
      return use(browser);
    const stop = attachNewContexts(browser, bundleCacheInstance);
    await use(browser);
    stop();
  }, { scope: 'worker', box: true }],

  bundleCacheSession: [undefined, { option: true }],

  // The stored state of the test's session, warmed once for the whole run
  // (the other workers wait on its lock and reuse it), for the options the
  // built-in context is made with. Only `context` asks for it, so a test
  // without a page launches no browser for it.
  _bundleCacheSession: [async ({ bundleCacheSession, bundleCacheInstance, browser, contextOptions, userAgent, proxy, locale, timezoneId, httpCredentials, baseURL, ignoreHTTPSErrors, extraHTTPHeaders }, use) => {
    const { storageState: _, ...base } = contextOptions;
    await use(await leaseForTest(bundleCacheInstance, bundleCacheSession, browser, { ...base, userAgent, proxy, locale, timezoneId, httpCredentials, baseURL, ignoreHTTPSErrors, extraHTTPHeaders }));
  }, { scope: 'test', box: true }],

  context: [async ({ context, bundleCacheInstance, _bundleCacheSession, _bundleCacheProxy }, use) => {
    if (!_bundleCacheProxy)
      await bundleCacheInstance.attach(context);
    const watch = _bundleCacheSession && await startWithSession(context, _bundleCacheSession);
    await use(context);
    // State is only ever written by warm(): whatever the test did to its cookies (a logout) stays in its context.
    await watch?.settled();
    if (watch?.rejection)
      throw rejectedTestError(watch);
  }, { scope: 'test', box: true }],

  // Auto, and so set up before `context` and torn down after it closed: the
  // numbers include every request of the test's pages.
  _bundleCacheTest: [async ({ bundleCacheInstance }, use, testInfo) => {
    const recorder = TestRecorder.start(bundleCacheInstance);
    await use();
    const { report, offlineMisses } = recorder.stop();
    if (hasActivity(report))
      await testInfo.attach(ATTACHMENT_NAME, { body: JSON.stringify(report, null, 2), contentType: 'application/json' });
    if (offlineMisses.length)
      throw offlineFailure(offlineMisses, report.dir);
  }, { scope: 'test', auto: true, box: true }],
};

/**
 * `@playwright/test`'s `test` with the cache attached to every test's
 * `context`. On top of `bundleCacheFixtures`, the `bundleCache` fixture is the
 * opened cache (as DESIGN.md promises) wherever Playwright lets a fixture
 * wrap an option: by default and with `use:` in the config.
 */
export const test = base.extend<BundleCacheTestFixtures, BundleCacheWorkerFixtures>(bundleCacheFixtures).extend<{}, Pick<BundleCacheWorkerFixtures, 'bundleCache'>>({
  bundleCache: [async ({ bundleCache }, use) => {
    const { cache, owned } = await openFixtureCache(bundleCache);
    await use(cache);
    if (owned)
      await cache.close();
  }, { scope: 'worker', title: 'open bundle cache', box: true }],
});
