import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext } from '@playwright/test';
import type { BundleCacheError } from '../../../src/index.js';
import { syntheticBundle, type Site } from '../../site/server.js';
import { test, expect, visit, expectWorkingApp, expectOneBucketEach } from './fixtures.js';

/** Files of entries for a path under the site's host dir, as paths (none means nothing was stored). */
async function entryFiles(cacheDir: string, name: string): Promise<string[]> {
  const host = await readdir(path.join(cacheDir, 'v1')).then(hosts => hosts[0]).catch(() => undefined);
  if (!host)
    return [];
  const files = (await readdir(path.join(cacheDir, 'v1', host))).filter(file => file.startsWith(name) && (file.endsWith('.body') || file.endsWith('.meta.json')));
  return files.map(file => path.join(cacheDir, 'v1', host, file));
}

/** A page on the site that fetches `url` (no other bundle), left loading. */
async function startFetch(context: BrowserContext, site: Site, url: string) {
  const page = await context.newPage();
  await page.goto(`${site.origin}/blank.html`);
  void page.evaluate(async target => {
    const response = await fetch(target);
    return (await response.arrayBuffer()).byteLength;
  }, url).catch(() => undefined);
  return page;
}

/** 20 MB, long-lived (so a request that comes after the download is a plain hit, not a revalidation). */
function serveBig(site: Site): void {
  site.serve('/big/main.dart.js', syntheticBundle(20), 'text/javascript', { 'cache-control': 'public, max-age=31536000, immutable' });
}

test.beforeEach(({ site }) => {
  site.serve('/blank.html', '<!doctype html><title>blank</title>', 'text/html');
});

for (const fault of ['chunked-reset', 'short-close', 'gzip-cut'] as const) {
  test(`should never store a body cut short (${fault}), and fetch it again on the next load`, async ({ browser, site, openCache, cacheDir }) => {
    site.setGzip(fault === 'gzip-cut');
    const cache = await openCache();
    site.fail('/main.dart.js', fault, 1);
    await visit(browser, cache, site.pageUrl);
    expect(await entryFiles(cacheDir, 'main.dart.js')).toEqual([]);
    await expectOneBucketEach(cache);

    const before = site.hits('/main.dart.js');
    const report = await visit(browser, cache, site.pageUrl + '?hash=1');
    expectWorkingApp(report, site);
    expect(site.hits('/main.dart.js')).toBeGreaterThan(before);
    const stored = await entryFiles(cacheDir, 'main.dart.js');
    expect(stored).toHaveLength(2);
    // What was stored is the origin's, byte for byte: the body file a new instance would serve from disk.
    const body = await readFile(stored.find(file => file.endsWith('.body'))!);
    expect(body.equals(site.body('/main.dart.js'))).toBe(true);
  });
}

test.describe('with a slow 20 MB bundle', () => {
  test.use({ siteOptions: { bandwidthBytesPerSec: 8 * 1024 * 1024 } });

  test('should let close() finish a miss in flight: stored once, no error, no second fetch', async ({ browser, site, openCache, cacheDir }) => {
    serveBig(site);
    const cache = await openCache();
    const problems: BundleCacheError[] = [];
    cache.on('problem', error => problems.push(error));
    const context = await browser.newContext();
    await cache.attach(context);
    await startFetch(context, site, '/big/main.dart.js');
    await expect.poll(() => site.hits('/big/main.dart.js')).toBe(1);
    await cache.close();
    expect(problems).toEqual([]);
    expect(await entryFiles(cacheDir, 'main.dart.js')).toHaveLength(2);
    expect(site.hits('/big/main.dart.js')).toBe(1);
    await context.close();
    expect(site.hits('/big/main.dart.js')).toBe(1);
    await expectOneBucketEach(cache);
  });

  test('should keep a download others wait for when the page that started it closes', async ({ browser, site, openCache, cacheDir }) => {
    serveBig(site);
    const cache = await openCache();
    const [first, second] = [await browser.newContext(), await browser.newContext()];
    await cache.attach(first);
    await cache.attach(second);
    const leader = await startFetch(first, site, '/big/main.dart.js');
    await expect.poll(() => site.hits('/big/main.dart.js')).toBe(1);
    const waiter = await second.newPage();
    await waiter.goto(`${site.origin}/blank.html`);
    const got = waiter.evaluate(async () => (await (await fetch('/big/main.dart.js')).arrayBuffer()).byteLength);
    await leader.close();
    expect(await got).toBe(site.body('/big/main.dart.js').length);
    // One download by the cache. (Chromium lets the closed page's own paused request start as the
    // page goes, and cancels it at once: a request, but not a second download.)
    expect(site.requests.filter(request => request.pathname === '/big/main.dart.js' && request.headers['accept-encoding'] === 'identity')).toHaveLength(1);
    expect(site.bytesSent('/big/main.dart.js')).toBeLessThan(1.25 * site.body('/big/main.dart.js').length);
    expect(await entryFiles(cacheDir, 'main.dart.js')).toHaveLength(2);
    await Promise.all([first.close(), second.close()]);
  });

  test('should count a request whose context closed mid-download as aborted, and nothing else', async ({ browser, site, openCache }) => {
    serveBig(site);
    const cache = await openCache();
    const context = await browser.newContext();
    await cache.attach(context);
    await startFetch(context, site, '/big/main.dart.js');
    await expect.poll(() => site.hits('/big/main.dart.js')).toBe(1);
    await context.close();
    await expect.poll(() => cache.stats().aborted).toBe(1);
    expect(cache.stats()).toMatchObject({ misses: 0, memoryHits: 0, diskHits: 0, errors: 0 });
    await expectOneBucketEach(cache);
  });
});
