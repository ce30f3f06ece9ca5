import type { Browser } from '@playwright/test';
import type { BundleCache, BundleCacheOptions } from '../../../src/index.js';
import type { Site } from '../../site/server.js';
import { MAIN, SECOND, expect, expectBuild, storedEntry, test, visit, type TestClock } from './fixtures.js';

// The document and the bootstrap each wait this long at the origin, so a
// check sent at the document's request reaches the origin well before the
// page can ask for main.dart.js itself.
const LATENCY_MS = 150;
const BOOTSTRAP = '/flutter_bootstrap.js';

test.use({ siteOptions: { layout: 'flutter', latencyMs: LATENCY_MS } });

/** A cache whose first visit stored build 1, a second before the test's next visit. */
async function afterFirstVisit(browser: Browser, site: Site, clock: TestClock, openCache: (options?: BundleCacheOptions) => Promise<BundleCache>, options?: BundleCacheOptions): Promise<BundleCache> {
  const cache = await openCache(options);
  expectBuild((await visit(browser, cache, site)).report, 1);
  clock.advance(SECOND);
  return cache;
}

/** Where the site received each request of this visit: the first index of `pathname`, or -1. */
const firstRequest = (requests: ReadonlyArray<{ pathname: string }>, pathname: string) => requests.findIndex(request => request.pathname === pathname);

test.describe('early checks: a page\'s unversioned bundle is checked when its document is requested', () => {
  test('should send the check before the page asks for main.dart.js, and serve the 304\'s entry to that request', async ({ browser, site, clock, cacheDir, openCache }) => {
    const cache = await afterFirstVisit(browser, site, clock, openCache);
    site.resetCounters();
    // Each response head waits 300 ms, as from a distant origin: the bootstrap is requested that long after the
    // document, so the order below tells where the check starts, not how busy this machine is.
    site.setLatency(300);

    const seen = await visit(browser, cache, site);
    expectBuild(seen.report, 1);
    // One conditional request, answered 304 and no body; it reached the origin before the bootstrap's request did.
    expect(seen.mainResponses).toEqual({ 304: 1 });
    expect(seen.mainBytes).toBe(0);
    expect(seen.mainConditions).toHaveLength(1);
    expect(seen.mainConditions[0]!.ifNoneMatch).toBe((await storedEntry(cacheDir, MAIN)).meta.headers.etag);
    expect(firstRequest(site.requests, MAIN)).toBeLessThan(firstRequest(site.requests, BOOTSTRAP));
    expect(seen.main).toMatchObject({ revalidated: true, stored: false });
    expect(cache.stats()).toMatchObject({ revalidations: 1, revalidated: 1, errors: 0 });
  });

  test('should give the page a build deployed at the same URL, fetched once by the early check', async ({ browser, site, clock, openCache }) => {
    const cache = await openCache();
    expectBuild((await visit(browser, cache, site)).report, 1);
    site.deploy();
    clock.advance(SECOND);

    const seen = await visit(browser, cache, site);
    expectBuild(seen.report, 2);
    expect(seen.mainResponses).toEqual({ 200: 1 });
    expect(seen.main).toMatchObject({ source: 'network', stored: true, revalidated: false });
    expect(cache.stats()).toMatchObject({ revalidations: 1, revalidated: 0, errors: 0 });
  });

  test('should send the new context\'s cookies, headers and credentials, never the previous visit\'s', async ({ browser, site, clock, openCache }) => {
    const cache = await openCache();
    const cookie = (value: string) => ({ name: 'team', value, domain: '127.0.0.1', path: '/', expires: -1, httpOnly: false, secure: false, sameSite: 'Lax' as const });
    const contextOf = (value: string) => ({
      extraHTTPHeaders: { 'x-visit': value },
      storageState: { cookies: [cookie(value)], origins: [] },
      httpCredentials: { username: 'staging', password: value, send: 'always' as const },
    });
    expectBuild((await visit(browser, cache, site, { contextOptions: contextOf('first') })).report, 1);
    clock.advance(SECOND);
    site.resetCounters();

    const seen = await visit(browser, cache, site, { contextOptions: contextOf('second') });
    expectBuild(seen.report, 1);
    expect(seen.mainResponses).toEqual({ 304: 1 });
    const check = site.requests.find(request => request.pathname === MAIN)!;
    expect(check.headers['x-visit']).toBe('second');
    expect(check.headers.cookie).toBe('team=second');
    expect(check.headers.authorization).toBe(`Basic ${Buffer.from('staging:second').toString('base64')}`);
    expect(check.headers.referer).toBe(site.pageUrl);
  });

  test('should leave a failed early check to the page\'s own request, silently', async ({ browser, site, clock, openCache }) => {
    const cache = await afterFirstVisit(browser, site, clock, openCache);
    site.fail(MAIN, { status: 503 }, 1);

    const seen = await visit(browser, cache, site);
    expectBuild(seen.report, 1);
    expect(seen.mainResponses).toEqual({ 503: 1, 304: 1 });
    expect(seen.main).toMatchObject({ revalidated: true });
    expect(seen.problems).toEqual([]);
  });

  test('should give the page the origin\'s 503 for a must-revalidate entry when its own check fails too', async ({ browser, site, clock, openCache }) => {
    const cache = await afterFirstVisit(browser, site, clock, openCache);
    site.fail(MAIN, { status: 503 }, 2);

    const seen = await visit(browser, cache, site);
    expect(seen.report.error).toMatch(/^could not load \/main\.dart\.js \(/);
    expect(seen.mainResponses).toEqual({ 503: 2 });
    expect(seen.problems.map(problem => problem.code)).toEqual(['ERR_REVALIDATE_FAILED']);
    // The next visit checks again, and the stored build is fine.
    clock.advance(SECOND);
    const after = await visit(browser, cache, site);
    expectBuild(after.report, 1);
    expect(after.mainResponses).toEqual({ 304: 1 });
  });

  test('should leave the check to the bundle\'s request when the document asks for a fresh copy: one check, not two', async ({ browser, site, clock, openCache }) => {
    const cache = await afterFirstVisit(browser, site, clock, openCache);
    site.resetCounters();
    const seen = await visit(browser, cache, site, { contextOptions: { extraHTTPHeaders: { 'cache-control': 'no-cache' } } });
    expectBuild(seen.report, 1);
    expect(seen.mainResponses).toEqual({ 304: 1 });
    expect(seen.main).toMatchObject({ revalidated: true });
    expect(firstRequest(site.requests, MAIN)).toBeGreaterThan(firstRequest(site.requests, BOOTSTRAP));
  });
});
