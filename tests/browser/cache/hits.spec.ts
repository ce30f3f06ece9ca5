import { test, expect, visit, expectWorkingApp, bundleHits, BUNDLES } from './fixtures.js';

const once = Object.fromEntries(BUNDLES.map(path => [path, 1]));

test('should fetch each bundle from the origin once on a cold cache, as a miss, and serve a second context from the cache without touching the origin', async ({ browser, site, openCache }) => {
  const cache = await openCache();
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(bundleHits(site)).toEqual(once);
  const stats = cache.stats();
  expect(stats).toMatchObject({ misses: 3, memoryHits: 0, diskHits: 0, errors: 0 });
  expect(stats.bytesFromNetwork).toBe(BUNDLES.reduce((sum, path) => sum + site.body(path).length, 0));

  site.resetCounters();
  const report = await visit(browser, cache, site.pageUrl + '?hash=1');
  expectWorkingApp(report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 });
  expect(cache.stats()).toMatchObject({ misses: 3, memoryHits: 6, errors: 0, hitRate: 6 / 9 });
});

test('should let the page see exactly the origin bytes, hashed in the page', async ({ browser, site, openCache }) => {
  const cache = await openCache();
  // First visit: the page's hashing fetches join or follow the misses; second: everything from memory.
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
  expect(bundleHits(site)).toEqual(once);
});

test('should serve a new BundleCache on the same dir from disk', async ({ browser, site, openCache }) => {
  const first = await openCache();
  await visit(browser, first, site.pageUrl);
  await first.close();
  site.resetCounters();

  const second = await openCache();
  const report = await visit(browser, second, site.pageUrl + '?hash=1');
  expectWorkingApp(report, site);
  expect(site.totalHits() - site.hits('/') - site.hits('/flutter_bootstrap.js') - site.hits('/favicon.ico')).toBe(0);
  expect(second.stats()).toMatchObject({ diskHits: 3, memoryHits: 3, misses: 0, errors: 0 });
});

test.describe('with a gzip origin', () => {
  test.use({ siteOptions: { gzip: true } });

  test('should store decoded bodies and serve them on a hit', async ({ browser, site, openCache }) => {
    const cache = await openCache();
    await visit(browser, cache, site.pageUrl);
    // The cache asks for the bytes uncompressed, so that the body's framing proves its end (downloads.spec.ts).
    expect(site.requests.filter(request => request.pathname === '/main.dart.js').map(request => request.headers['accept-encoding'])).toEqual(['identity']);
    const report = await visit(browser, cache, site.pageUrl + '?hash=1');
    expectWorkingApp(report, site);
    expect(bundleHits(site)).toEqual(once);
    expect(cache.stats().bytesFromCache).toBe(2 * BUNDLES.reduce((sum, path) => sum + site.body(path).length, 0));
  });
});

test.describe('with an https origin', () => {
  test.use({ siteOptions: { https: true } });

  test('should cache for a context that ignores HTTPS errors', async ({ browser, site, openCache }) => {
    const cache = await openCache();
    expectWorkingApp(await visit(browser, cache, site.pageUrl, { ignoreHTTPSErrors: true }), site);
    expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1', { ignoreHTTPSErrors: true }), site);
    expect(bundleHits(site)).toEqual(once);
    expect(cache.stats()).toMatchObject({ misses: 3, errors: 0 });
  });
});

test('should route nothing in mode off', async ({ browser, site, openCache, cacheDir }) => {
  const cache = await openCache({ mode: 'off', dir: cacheDir + '/never-created' });
  await visit(browser, cache, site.pageUrl);
  await visit(browser, cache, site.pageUrl);
  expect(cache.stats().requests).toBe(0);
  expect(site.hits('/main.dart.js')).toBe(2);
});

test('should stop caching a context after detach', async ({ browser, site, openCache }) => {
  const cache = await openCache();
  const context = await browser.newContext();
  await cache.attach(context);
  await cache.detach(context);
  const page = await context.newPage();
  await page.goto(site.pageUrl);
  await page.waitForFunction(() => window.__site?.ready || window.__site?.error);
  await context.close();
  expect(cache.stats().requests).toBe(0);
});
