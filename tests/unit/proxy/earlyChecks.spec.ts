import { expect } from '@playwright/test';
import { BundleCache } from '../../../src/cache/bundleCache.js';
import type { ServedEvent } from '../../../src/types.js';
import { MAIN, SECOND, test, type TestClock } from '../../helpers/clockedSite.js';
import { listFiles } from '../../helpers/tempDir.js';
import { storedEntry } from '../warm/fixtures.js';
import { viaProxy } from './harness.js';

// Early checks through the proxy (src/proxy/proxyEarlyChecks.ts): a document's request starts the check of the
// must-revalidate main.dart.js (Netlify's headers) it used, with that client's own headers, and the bundle's request
// takes it. tests/browser/proxy/clients.spec.ts loads the real page through the proxy.

const ALICE = { cookie: 'sid=alice', 'user-agent': 'Client/1', 'x-team': 'red' };
const BOB = { cookie: 'sid=bob', 'user-agent': 'Client/1', 'x-team': 'blue' };

/**
 * Until the early check started now has written its outcome and let go of the key's lock: a request
 * that came sooner would rightly share that check (single flight), which is not what these tests ask.
 */
async function checkSettled(cacheDir: string, clock: TestClock): Promise<void> {
  const checkedAt = new Date(clock.now()).toISOString();
  await expect.poll(async () => (await storedEntry(cacheDir, MAIN)).meta.freshness?.validatedAt).toBe(checkedAt);
  await expect.poll(async () => (await listFiles(cacheDir)).filter(file => file.includes('.lock'))).toEqual([]);
}

function documentHeaders(client: Record<string, string>): Record<string, string> {
  return { ...client, accept: 'text/html', 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', 'upgrade-insecure-requests': '1' };
}

function bundleHeaders(client: Record<string, string>, referer: string): Record<string, string> {
  return { ...client, accept: '*/*', referer, 'sec-fetch-dest': 'script' };
}

test('should check a bundle at its document\'s request with that client\'s headers, and hand the check to its bundle request', async ({ site, clock, cacheDir }) => {
  const cache = await BundleCache.open({ dir: cacheDir, now: clock.now });
  const served: ServedEvent[] = [];
  cache.on('served', event => served.push(event));
  try {
    const proxy = await cache.proxy({ port: 0 });
    const main = site.origin + MAIN;
    // A first visit stores the bundle and learns it for its document.
    await viaProxy(proxy.url, site.pageUrl, { headers: documentHeaders(ALICE) });
    expect((await viaProxy(proxy.url, main, { headers: bundleHeaders(ALICE, site.pageUrl) })).status).toBe(200);
    expect(site.responses(MAIN)).toEqual({ 200: 1 });
    clock.advance(SECOND);

    // The next visit's document request starts the check: it reaches the origin before the bundle is asked for.
    site.resetCounters();
    await viaProxy(proxy.url, site.pageUrl, { headers: documentHeaders(ALICE) });
    await expect.poll(() => site.responses(MAIN)).toEqual({ 304: 1 });
    const check = site.requests.find(request => request.pathname === MAIN)!;
    expect(check.headers).toMatchObject({ cookie: 'sid=alice', 'user-agent': 'Client/1', 'x-team': 'red', referer: site.pageUrl, accept: '*/*' });
    expect(check.headers['if-none-match']).toBeTruthy();
    // What only the navigation sent stays with it.
    expect(check.headers['sec-fetch-dest']).toBeUndefined();
    expect(check.headers['upgrade-insecure-requests']).toBeUndefined();
    const bundle = await viaProxy(proxy.url, main, { headers: bundleHeaders(ALICE, site.pageUrl) });
    expect(bundle.body.equals(site.body(MAIN))).toBe(true);
    expect(site.responses(MAIN)).toEqual({ 304: 1 });
    expect(served.at(-1)).toMatchObject({ url: main, via: 'proxy', revalidated: true, stored: false });
    expect(cache.stats()).toMatchObject({ revalidations: 1, revalidated: 1, errors: 0 });
  } finally {
    await cache.close();
  }
});

test('should not hand one client\'s check to another client\'s request, nor learn a bundle from another origin\'s page', async ({ site, clock, cacheDir }) => {
  const cache = await BundleCache.open({ dir: cacheDir, now: clock.now });
  try {
    const proxy = await cache.proxy({ port: 0 });
    const main = site.origin + MAIN;
    await viaProxy(proxy.url, main, { headers: bundleHeaders(ALICE, site.pageUrl) });
    clock.advance(SECOND);
    site.resetCounters();
    // Alice's document starts a check with her cookie; Bob's bundle request does not take it: it checks with his own.
    await viaProxy(proxy.url, site.pageUrl, { headers: documentHeaders(ALICE) });
    await expect.poll(() => site.responses(MAIN)).toEqual({ 304: 1 });
    await checkSettled(cacheDir, clock);
    clock.advance(SECOND);
    await viaProxy(proxy.url, main, { headers: bundleHeaders(BOB, site.pageUrl) });
    expect(site.requests.filter(request => request.pathname === MAIN).map(request => request.headers.cookie)).toEqual(['sid=alice', 'sid=bob']);

    // A page on another origin that uses the bundle: its Referer is only an origin, and the site's cookies must not
    // be sent on its behalf. Nothing is learned, so its document's request starts nothing.
    await checkSettled(cacheDir, clock);
    const otherPage = site.cdn.origin + '/';
    await viaProxy(proxy.url, main, { headers: bundleHeaders(ALICE, otherPage) });
    clock.advance(SECOND);
    site.resetCounters();
    await viaProxy(proxy.url, otherPage, { headers: documentHeaders(ALICE) });
    await viaProxy(proxy.url, main, { headers: { ...bundleHeaders(ALICE, otherPage), 'x-sent-by': 'the bundle request' } });
    // One check, the bundle's own: none went out at the other origin's document request.
    expect(site.requests.filter(request => request.pathname === MAIN).map(request => request.headers['x-sent-by'])).toEqual(['the bundle request']);
  } finally {
    await cache.close();
  }
});

test('should start nothing for a document asked for fresh, and nothing with early checks turned off', async ({ site, clock, cacheDir }) => {
  for (const earlyChecks of [true, false]) {
    const cache = await BundleCache.open({ dir: cacheDir, now: clock.now }, earlyChecks ? {} : { earlyChecks: false });
    try {
      const proxy = await cache.proxy({ port: 0 });
      await viaProxy(proxy.url, site.pageUrl, { headers: documentHeaders(ALICE) });
      await viaProxy(proxy.url, site.origin + MAIN, { headers: bundleHeaders(ALICE, site.pageUrl) });
      clock.advance(SECOND);
      site.resetCounters();
      // A reload that asks for a fresh document: its bundles ask too, and each checks on its own.
      await viaProxy(proxy.url, site.pageUrl, { headers: earlyChecks ? { ...documentHeaders(ALICE), 'cache-control': 'max-age=0' } : documentHeaders(ALICE) });
      await viaProxy(proxy.url, site.origin + MAIN, { headers: { ...bundleHeaders(ALICE, site.pageUrl), 'x-sent-by': 'the bundle request' } });
      // One check, the bundle's own: none went out at the document's request.
      expect(site.requests.filter(request => request.pathname === MAIN).map(request => request.headers['x-sent-by']), `earlyChecks ${earlyChecks}`).toEqual(['the bundle request']);
    } finally {
      await cache.close();
    }
  }
});
