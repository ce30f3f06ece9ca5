import type { Browser } from '@playwright/test';
import type { BundleCache, ServedEvent } from '../../../src/index.js';
import { loadFlutterApp, type FlutterReport } from '../../site/server.js';
import { test, expect } from './fixtures.js';

async function visitFlutter(browser: Browser, cache: BundleCache, url: string): Promise<FlutterReport> {
  const context = await browser.newContext();
  try {
    await cache.attach(context);
    return await loadFlutterApp(await context.newPage(), url);
  } finally {
    await context.close();
  }
}

function expectBuild(report: FlutterReport, build: number): void {
  expect(report.error).toBeNull();
  expect(report.main).toMatchObject({ build, matched: true });
  expect(report.canvaskit.drew).toBe(true);
}

test.describe('main.dart.js behind a same-origin 302 to its hashed URL', () => {
  test.use({ siteOptions: { layout: 'flutter' } });

  test('should cache the target under its own URL and ask the origin only for the redirect', async ({ browser, site, openCache }) => {
    site.redirect('/main.dart.js', 'versioned');
    const target = site.versionedPath('/main.dart.js');
    const cache = await openCache();
    const served: ServedEvent[] = [];
    cache.on('served', event => served.push(event));
    expectBuild(await visitFlutter(browser, cache, site.pageUrl), 1);
    expectBuild(await visitFlutter(browser, cache, site.pageUrl), 1);
    expect(site.responses('/main.dart.js')).toEqual({ 302: 2 });
    expect(site.responses(target)).toEqual({ 200: 1 });
    const main = served.filter(event => new URL(event.url).pathname === '/main.dart.js');
    expect(main.map(event => [event.source, event.redirectedTo])).toEqual([['network', site.origin + target], ['memory', site.origin + target]]);
    expect(cache.stats().hitRate).toBeGreaterThan(0);

    // A new run reads the target from disk.
    const again = await openCache();
    expectBuild(await visitFlutter(browser, again, site.pageUrl), 1);
    expect(site.responses(target)).toEqual({ 200: 1 });
    expect(again.stats().diskHits).toBeGreaterThanOrEqual(1);
  });
});

test.describe('self-hosted CanvasKit behind a cross-origin 302 to a CDN', () => {
  test.use({ siteOptions: { layout: 'flutter', localCanvasKit: true } });

  test('should cache the CDN\'s files, served for the page\'s own URLs with their CORS headers', async ({ browser, site, openCache }) => {
    site.redirect('/canvaskit/canvaskit.js', 'cdn');
    site.redirect('/canvaskit/canvaskit.wasm', 'cdn');
    const wasm = new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.wasm').pathname;
    const cache = await openCache();
    for (let visit = 0; visit < 2; visit++) {
      const report = await visitFlutter(browser, cache, site.pageUrl + '?hash=1');
      expectBuild(report, 1);
      expect(report.hashes[site.origin + '/canvaskit/canvaskit.wasm']).toBe(site.cdn.sha256(wasm));
    }
    expect(site.cdn.responses(wasm)).toEqual({ 200: 1 });
    expect(site.responses('/canvaskit/canvaskit.wasm')[302]).toBeGreaterThanOrEqual(2);
    expect(cache.stats().errors).toBe(0);
  });

  test('should not carry the original request\'s cookies to the redirect\'s target', async ({ browser, site, openCache }) => {
    site.redirect('/canvaskit/canvaskit.wasm', 'cdn');
    const cache = await openCache();
    const context = await browser.newContext();
    // Both origins are 127.0.0.1 (cookies ignore ports): a cookie for /canvaskit/ only tells the copied header from the jar's own.
    await context.addCookies([{ name: 'sid', value: 'CANARY-COOKIE', domain: '127.0.0.1', path: '/canvaskit' }]);
    await cache.attach(context);
    expectBuild(await loadFlutterApp(await context.newPage(), site.pageUrl), 1);
    await context.close();
    const wasm = new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.wasm').pathname;
    const toCdn = site.cdn.requests.filter(request => request.pathname === wasm);
    expect(toCdn.length).toBe(1);
    expect(toCdn[0]!.headers.cookie).toBeUndefined();
    expect(site.requests.find(request => request.pathname === '/canvaskit/canvaskit.wasm')?.headers.cookie).toContain('CANARY-COOKIE');
  });
});
