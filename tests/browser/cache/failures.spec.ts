import { test, expect, visit, expectWorkingApp, bundleHits } from './fixtures.js';
import type { BundleCacheError } from '../../../src/index.js';

// What the page sees when the cache cannot do its job: an offline miss
// fails its request, and a context closed mid-request is no error. The
// decisions behind degrading (offline hits, origin errors, a full disk, a
// lock held too long) are proven without a browser in tests/unit/warm/degrading.spec.ts.

test('should fail an offline miss cleanly, without touching the network', async ({ browser, site, openCache }) => {
  const cache = await openCache({ mode: 'offline' });
  const problems: BundleCacheError[] = [];
  cache.on('problem', error => problems.push(error));
  const report = await visit(browser, cache, site.pageUrl);
  expect(report.error).not.toBeNull();
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 });
  expect(problems.map(problem => problem.code)).toContain('ERR_OFFLINE_MISS');
  expect(problems[0]!.message).toContain(`${site.origin}/`);
  expect(problems[0]!.message).toContain('warm');
});

test('should not count a context closed mid-request as an error', async ({ browser, site, openCache }) => {
  site.fail('/canvaskit/canvaskit.wasm', 'hang', 1);
  const cache = await openCache();
  const context = await browser.newContext();
  await cache.attach(context);
  const page = await context.newPage();
  await page.goto(site.pageUrl);
  // Closed once the cache's fetch is at the origin (the browser's request alone
  // may not have reached the route handler yet, leaving the hang for the next visit).
  await expect.poll(() => site.hits('/canvaskit/canvaskit.wasm')).toBe(1);
  await context.close();
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(cache.stats().errors).toBe(0);
});
