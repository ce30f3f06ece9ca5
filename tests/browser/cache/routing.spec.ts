import { test, expect, visit, expectWorkingApp, bundleHits, expectOneBucketEach } from './fixtures.js';

// attach() routes every request; the rules alone decide what is cached, and
// every request counts once: the page and what no rule caches as bypassed.

test('should count the page and what no rule caches as bypassed, and cache the bundles', async ({ browser, site, openCache }) => {
  const cache = await openCache();
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  const stats = cache.stats();
  expect(stats).toMatchObject({ misses: 3, memoryHits: 3 });
  // The page twice and whatever else it asked for that no rule caches.
  expect(stats.bypassed).toBe(site.totalHits() - 3);
  expect(stats.bypassed).toBeGreaterThanOrEqual(2);
  await expectOneBucketEach(cache);
});

test('should cache what a predicate rule matches, and nothing else', async ({ browser, site, openCache }) => {
  const cache = await openCache({ rules: [url => url.pathname.endsWith('.wasm')] });
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 2, '/canvaskit/canvaskit.js': 2, '/canvaskit/canvaskit.wasm': 1 });
  const stats = cache.stats();
  expect(stats).toMatchObject({ misses: 1, memoryHits: 1 });
  expect(stats.bypassed).toBe(site.totalHits() - 1);
  await expectOneBucketEach(cache);
});

test('should cache nothing without rules, and still count every request', async ({ browser, site, openCache }) => {
  const cache = await openCache({ rules: [] });
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(cache.stats()).toMatchObject({ requests: site.totalHits(), bypassed: site.totalHits(), misses: 0 });
});
