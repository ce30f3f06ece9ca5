import { test as base, expect } from '@playwright/test';
import { loadApp, startSite, type Site, type SiteOptions, type SiteReport } from '../site/server.js';

// Each test gets its own site, started with `siteOptions` and closed after.
const test = base.extend<{ siteOptions: SiteOptions; site: Site }>({
  siteOptions: [{}, { option: true }],
  site: async ({ siteOptions }, use) => {
    const site = await startSite(siteOptions);
    await use(site);
    await site.close();
  },
});

function expectWorkingApp(report: SiteReport, site: Site, version = site.version) {
  expect(report.error).toBeNull();
  expect(report.ready).toBe(true);
  expect(report.version).toBe(version);
  expect(report.canvaskit).toEqual({ drew: true, pixel: [255, 0, 0, 255] });
  expect(report.main).toEqual({ loaded: true, threw: null });
  expect(report.hashes).toEqual({
    [`/main.dart.js?v=${version}`]: site.sha256('/main.dart.js', version),
    '/canvaskit/canvaskit.js': site.sha256('/canvaskit/canvaskit.js'),
    '/canvaskit/canvaskit.wasm': site.sha256('/canvaskit/canvaskit.wasm'),
  });
}

test('should draw with CanvasKit, load main.dart.js and see the served bytes', async ({ page, site }) => {
  const report = await loadApp(page, site.pageUrl + '?hash=1');
  expectWorkingApp(report, site);
  await expect(page).toHaveTitle('ready');
  expect(report.timings.done).toBeGreaterThanOrEqual(report.timings.start);
  // main.dart.js is immutable, so Chromium's own cache answers the ?hash=1
  // refetch; it fetches the wasm again (stream compilation and the refetch).
  expect(site.hits('/main.dart.js')).toBe(1);
  expect(site.hits('/canvaskit/canvaskit.wasm')).toBe(2);
});

test.describe('over https', () => {
  test.use({ siteOptions: { https: true } });

  test('should work with the self-signed certificate', async ({ browser, site }) => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true });
    const page = await context.newPage();
    expect(site.pageUrl).toMatch(/^https:/);
    expectWorkingApp(await loadApp(page, site.pageUrl + '?hash=1'), site);
    await context.close();
  });
});

test.describe('gzipped on a slow link', () => {
  test.use({ siteOptions: { gzip: true, latencyMs: 20, bandwidthBytesPerSec: 20 * 1024 * 1024 } });

  test('should decode to the same bytes', async ({ page, site }) => {
    expectWorkingApp(await loadApp(page, site.pageUrl + '?hash=1'), site);
    const wasm = site.requests.find(r => r.pathname === '/canvaskit/canvaskit.wasm');
    expect(wasm?.headers['accept-encoding']).toContain('gzip');
    // The load and ?hash=1 each fetch 13 MB of bundles; gzip sends well under half.
    expect(site.bytesSent()).toBeLessThan(13_000_000);
  });
});

test('should load the version the site is switched to', async ({ page, site }) => {
  expectWorkingApp(await loadApp(page, site.pageUrl + '?hash=1'), site, 1);
  site.setVersion(2);
  expectWorkingApp(await loadApp(page, site.pageUrl + '?hash=1'), site, 2);
  // Each ?hash=1 refetch is answered by Chromium's cache (the bundle is immutable).
  expect(site.requests.filter(r => r.pathname === '/main.dart.js').map(r => r.search)).toEqual(['?v=1', '?v=2']);
});

test('should fail when canvaskit.wasm has the wrong content type', async ({ page, site }) => {
  site.serve('/canvaskit/canvaskit.wasm', site.body('/canvaskit/canvaskit.wasm'), 'text/plain');
  const report = await loadApp(page, site.pageUrl);
  expect(report.ready).toBe(false);
  expect(report.error).toMatch(/canvaskit\.wasm: .*MIME type/);
  await expect(page).toHaveTitle(/^failed: canvaskit\.wasm/);
});

function serveFlippedWasm(site: Site) {
  const corrupt = Buffer.from(site.body('/canvaskit/canvaskit.wasm'));
  corrupt[corrupt.length >> 1]! ^= 0x01;
  site.serve('/canvaskit/canvaskit.wasm', corrupt, 'application/wasm');
}

test('should fail when one byte of canvaskit.wasm is flipped', async ({ page, site }) => {
  serveFlippedWasm(site);
  const report = await loadApp(page, site.pageUrl);
  expect(report.ready).toBe(false);
  expect(report.error).toMatch(/canvaskit\.wasm: digest [0-9a-f]{64} is not the built/);
});

// Why the page checks digests: this corruption compiles and draws fine.
test('should not notice the flipped wasm byte with ?verify=0', async ({ page, site }) => {
  serveFlippedWasm(site);
  const report = await loadApp(page, site.pageUrl + '?verify=0');
  expect(report.ready).toBe(true);
  expect(report.canvaskit.drew).toBe(true);
});

test('should fail when one byte of main.dart.js is flipped', async ({ page, site }) => {
  const corrupt = Buffer.from(site.body('/main.dart.js'));
  corrupt[100]! ^= 0x01;
  site.serve('/main.dart.js', corrupt, 'text/javascript; charset=utf-8');
  const report = await loadApp(page, site.pageUrl);
  expect(report.error).toMatch(/could not load \/main\.dart\.js\?v=1/);
  expect(report.main.loaded).toBe(false);
});

test('should fail when main.dart.js cannot be fetched', async ({ page, site }) => {
  site.fail('/main.dart.js', { status: 503 });
  const report = await loadApp(page, site.pageUrl);
  expect(report.error).toMatch(/could not load \/main\.dart\.js\?v=1/);
});

test('should load canvaskit.wasm through a 302 to the CDN origin and count both ends', async ({ page, site }) => {
  site.redirect('/canvaskit/canvaskit.wasm', 'cdn');
  const report = await loadApp(page, site.pageUrl);
  expect(report.error).toBeNull();
  const cdnWasm = new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.wasm').pathname;
  expect(site.responses('/canvaskit/canvaskit.wasm')).toEqual({ 302: site.hits('/canvaskit/canvaskit.wasm') });
  expect(site.cdn.responses(cdnWasm)[200]).toBe(site.hits('/canvaskit/canvaskit.wasm'));
});

// Its canvaskit.js is a no-cors script with SRI: after a cross-origin hop the
// response is opaque, and SRI refuses it. The Flutter page loads it with CORS.
test('should refuse canvaskit.js redirected to the CDN', async ({ page, site }) => {
  site.redirect('/canvaskit/canvaskit.js', 'cdn');
  const report = await loadApp(page, site.pageUrl);
  expect(report.error).toMatch(/could not load \/canvaskit\/canvaskit\.js/);
});

test('should load main.dart.js through a 302 to its hashed URL', async ({ page, site }) => {
  site.redirect('/main.dart.js', 'versioned');
  const report = await loadApp(page, site.pageUrl);
  expect(report.error).toBeNull();
  expect(site.responses('/main.dart.js')).toEqual({ 302: 1 });
  expect(site.responses(site.versionedPath('/main.dart.js'))).toEqual({ 200: 1 });
});
