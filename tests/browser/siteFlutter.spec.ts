import { test as base, expect } from '@playwright/test';
import {
  ORIGIN_PROFILES, loadFlutterApp, reloadFlutterApp, startSite, type FlutterReport, type OriginProfile, type Site, type SiteOptions,
} from '../site/server.js';

// Each test gets its own Flutter-layout site, started with `siteOptions` and closed after.
const test = base.extend<{ siteOptions: SiteOptions; site: Site }>({
  siteOptions: [{ layout: 'flutter' }, { option: true }],
  site: async ({ siteOptions }, use) => {
    const site = await startSite(siteOptions);
    await use(site);
    await site.close();
  },
});

const wasmPath = (site: Site) => new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.wasm').pathname;

function expectBuildRan(report: FlutterReport, site: Site, version = site.version) {
  expect(report.error).toBeNull();
  expect(report.ready).toBe(true);
  expect(report.layout).toBe('flutter');
  expect(report.version).toBe(version);
  expect(report.bootstrap).toEqual({ build: version });
  expect(report.main).toEqual({ loaded: true, threw: null, build: version, matched: true });
  expect(report.canvaskit).toEqual({ drew: true, pixel: [255, 0, 0, 255], baseUrl: site.cdn.canvaskitBaseUrl });
}

// What Chromium's own HTTP cache does when the page is reloaded after a
// deploy: index.html is always revalidated (no-cache), the rest per profile.
const RELOAD_SEES_DEPLOY: Record<OriginProfile, boolean> = {
  'netlify': true, // max-age=0, must-revalidate: revalidated, new ETag, 200
  'github-pages': false, // max-age=600: yesterday's bootstrap and main from the cache
  'firebase': false, // max-age=3600: likewise
  'nginx': true, // heuristic freshness is a tenth of (Date - Last-Modified), ~0 right after a deploy
  'no-validators': true, // not fresh, nothing to revalidate with: refetched
  'no-cache': true,
};

for (const profile of ORIGIN_PROFILES) {
  test.describe(`as ${profile}`, () => {
    test.use({ siteOptions: { layout: 'flutter', profile } });

    // One page per profile: the cold load, then the reload after a deploy (both with ?hash=1).
    test(`should load from the two origins without any cache and report its build, then ${RELOAD_SEES_DEPLOY[profile] ? 'see a deploy on reload' : 'run the stale build from Chromium\'s cache on reload, reported as stale'}`, async ({ page, site }) => {
      const report = await loadFlutterApp(page, site.pageUrl + '?hash=1');
      expectBuildRan(report, site, 1);
      await expect(page).toHaveTitle('ready');
      expect(report.hashes).toEqual({
        '/main.dart.js': site.sha256('/main.dart.js'),
        [site.cdn.canvaskitBaseUrl + 'canvaskit.js']: site.cdn.sha256(new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.js').pathname),
        [site.cdn.canvaskitBaseUrl + 'canvaskit.wasm']: site.cdn.sha256(wasmPath(site)),
      });
      for (const pathname of ['/', '/flutter_bootstrap.js'])
        expect(site.responses(pathname)[200], pathname).toBe(1);
      // ?hash=1 fetches main.dart.js again: from Chromium's cache, or a 304;
      // without validators only a whole new 200 will do.
      const downloads = profile === 'no-validators' ? 2 : 1;
      expect(site.responses('/main.dart.js')[200]).toBe(downloads);
      expect(site.hits('/canvaskit/canvaskit.wasm')).toBe(0);
      expect(site.cdn.responses(wasmPath(site))[200]).toBeGreaterThanOrEqual(1);

      site.deploy();
      const reloaded = await reloadFlutterApp(page);
      if (RELOAD_SEES_DEPLOY[profile]) {
        expectBuildRan(reloaded, site, 2);
        // The new build once, and its ?hash=1 refetch as on the first load.
        expect(site.responses('/main.dart.js')[200]).toBe(2 * downloads);
      } else {
        expect(reloaded.version).toBe(2);
        expect(reloaded.error).toBe('flutter_bootstrap.js is build 1, index.html announces build 2 (a stale copy)');
        expect(reloaded.main).toEqual({ loaded: true, threw: null, build: 1, matched: false });
        expect(site.responses('/main.dart.js')).toEqual({ 200: 1 });
      }
    });
  });
}

test('should revalidate an unchanged build with a 304 and no body on reload (netlify)', async ({ page, site }) => {
  expectBuildRan(await loadFlutterApp(page, site.pageUrl), site);
  const bytes = site.bytesSent('/main.dart.js');
  expectBuildRan(await reloadFlutterApp(page), site);
  expect(site.responses('/main.dart.js')).toEqual({ 200: 1, 304: 1 });
  expect(site.bytesSent('/main.dart.js')).toBe(bytes);
  const revalidation = site.requests.filter(r => r.pathname === '/main.dart.js')[1]!;
  expect(revalidation.headers['if-none-match']).toBe(site.responseHeaders('/main.dart.js').etag);
});

test('should keep a build deployed long ago fresh by heuristics (nginx) and report the stale copy', async ({ page }) => {
  // Deployed ten days before the first visit: a tenth of that is a day of freshness.
  let now = Date.now() - 10 * 86_400_000;
  const site = await startSite({ layout: 'flutter', profile: 'nginx', clock: () => now });
  try {
    now = Date.now();
    expectBuildRan(await loadFlutterApp(page, site.pageUrl), site, 1);
    site.deploy();
    const report = await reloadFlutterApp(page);
    expect(report.error).toMatch(/^flutter_bootstrap\.js is build 1, index\.html announces build 2/);
    expect(report.main.build).toBe(1);
    expect(site.hits('/main.dart.js')).toBe(1);
  } finally {
    await site.close();
  }
});

test('should tell corrupt bytes from a stale build', async ({ page, site }) => {
  const corrupt = Buffer.from(site.body('/main.dart.js'));
  corrupt[100]! ^= 0x01;
  site.serve('/main.dart.js', corrupt, 'text/javascript; charset=utf-8');
  const report = await loadFlutterApp(page, site.pageUrl);
  expect(report.error).toMatch(/^could not load \/main\.dart\.js \(.*bytes of no deployed build\)$/);
  expect(report.main).toEqual({ loaded: false, threw: null, build: null, matched: false });
});

test('should need CORS from the CDN: canvaskit.js refused without it', async ({ page, site }) => {
  site.cdn.setHeaders(new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.js').pathname, { 'access-control-allow-origin': 'http://not-this-page.example' });
  const report = await loadFlutterApp(page, site.pageUrl);
  expect(report.error).toMatch(/^could not load http:\/\/127\.0\.0\.1:\d+\/flutter-canvaskit\/[0-9a-f]{40}\/canvaskit\.js/);
  expect(report.canvaskit.drew).toBe(false);
  const request = site.cdn.requests.find(r => r.pathname.endsWith('/canvaskit.js'))!;
  expect(request.headers.origin).toBe(site.origin);
  expect(request.headers['sec-fetch-mode']).toBe('cors');
});

test('should need CORS from the CDN: canvaskit.wasm refused without it', async ({ page, site }) => {
  site.cdn.setHeaders(wasmPath(site), { 'access-control-allow-origin': 'http://not-this-page.example' });
  const report = await loadFlutterApp(page, site.pageUrl);
  expect(report.error).toMatch(/^canvaskit\.wasm: /);
  expect(site.cdn.requests.find(r => r.pathname === wasmPath(site))?.headers.origin).toBe(site.origin);
});

test.describe('self-hosted CanvasKit redirected to the CDN', () => {
  test.use({ siteOptions: { layout: 'flutter', localCanvasKit: true } });

  test('should follow the cross-origin 302s with CORS and count both ends', async ({ page, site }) => {
    site.redirect('/canvaskit/canvaskit.js', 'cdn');
    site.redirect('/canvaskit/canvaskit.wasm', 'cdn');
    const report = await loadFlutterApp(page, site.pageUrl + '?hash=1');
    expect(report.error).toBeNull();
    expect(report.canvaskit.baseUrl).toBe(site.origin + '/canvaskit/');
    expect(report.hashes[site.origin + '/canvaskit/canvaskit.wasm']).toBe(site.cdn.sha256(wasmPath(site)));
    expect(site.responses('/canvaskit/canvaskit.wasm')[302]).toBeGreaterThanOrEqual(1);
    expect(site.responses('/canvaskit/canvaskit.wasm')[200]).toBeUndefined();
    expect(site.cdn.responses(wasmPath(site))[200]).toBeGreaterThanOrEqual(1);
    // Redirected from the page's own origin, the request keeps its Origin (Fetch: not tainted).
    expect(site.cdn.requests.find(r => r.pathname === wasmPath(site))?.headers.origin).toBe(site.origin);
  });
});

test('should run main.dart.js through a same-origin 302 to its hashed URL', async ({ page, site }) => {
  site.redirect('/main.dart.js', 'versioned');
  const report = await loadFlutterApp(page, site.pageUrl);
  expectBuildRan(report, site);
  expect(site.responses('/main.dart.js')).toEqual({ 302: 1 });
  expect(site.responses(site.versionedPath('/main.dart.js'))).toEqual({ 200: 1 });
});
