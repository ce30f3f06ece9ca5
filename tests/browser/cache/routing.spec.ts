import { test, expect, visit, expectWorkingApp, bundleHits } from './fixtures.js';
import type { BundleCacheStats } from '../../../src/index.js';

// attach() routes a RegExp made from the rules (src/rules/rules.ts routePattern),
// or every request when a rule is a predicate of the user's: either way every
// request counts once, and the rules alone decide what is cached.

const inBuckets = (stats: BundleCacheStats) => stats.memoryHits + stats.diskHits + stats.remoteHits + stats.misses + stats.bypassed + stats.aborted;

test('should count the requests its pattern lets go as bypassed, and cache the bundles', async ({ browser, site, openCache }) => {
  const cache = await openCache();
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  const stats = cache.stats();
  expect(stats).toMatchObject({ misses: 3, memoryHits: 3 });
  // The page twice and whatever else it asked for that no rule caches.
  expect(stats.bypassed).toBe(site.totalHits() - 3);
  expect(stats.bypassed).toBeGreaterThanOrEqual(2);
  expect(stats.requests).toBe(inBuckets(stats));
});

test('should route every request for a predicate rule, and cache what it matches', async ({ browser, site, openCache }) => {
  const cache = await openCache({ rules: [url => url.pathname.endsWith('.wasm')] });
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 2, '/canvaskit/canvaskit.js': 2, '/canvaskit/canvaskit.wasm': 1 });
  const stats = cache.stats();
  expect(stats).toMatchObject({ misses: 1, memoryHits: 1 });
  expect(stats.bypassed).toBe(site.totalHits() - 1);
  expect(stats.requests).toBe(inBuckets(stats));
});

test('should cache nothing without rules, and still count every request', async ({ browser, site, openCache }) => {
  const cache = await openCache({ rules: [] });
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(cache.stats()).toMatchObject({ requests: site.totalHits(), bypassed: site.totalHits(), misses: 0 });
});
