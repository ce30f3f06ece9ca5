import type { Page } from '@playwright/test';
import { HOUR, MAIN, MINUTE, SECOND, expect, expectBuild, test, visit } from './fixtures.js';

/** Fetches main.dart.js from the page's own script with `headers`; resolves with the body's length. */
function fetchMain(page: Page, headers: Record<string, string>): Promise<number> {
  return page.evaluate(async headers => (await (await fetch('/main.dart.js', { headers })).arrayBuffer()).byteLength, headers);
}

test.describe("a request that asks for a fresh copy, as firebase (fresh for an hour), revalidate 'http'", () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'firebase' } });

  test('should be revalidated when the context sends Cache-Control: no-cache, unless revalidate is never', async ({ browser, site, cdnWasm, clock, openCache }) => {
    const cache = await openCache({ revalidate: 'http' });
    expectBuild((await visit(browser, cache, site)).report, 1);
    clock.advance(SECOND);
    const contextOptions = { extraHTTPHeaders: { 'cache-control': 'no-cache' } };
    const asked = await visit(browser, cache, site, { contextOptions });
    expectBuild(asked.report, 1);
    expect(asked.mainResponses).toEqual({ 304: 1 });
    expect(asked.main).toMatchObject({ revalidated: true });
    // Versioned entries too: the request, not the entry, asks.
    expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1, 304: 1 });
    expect(cache.stats()).toMatchObject({ revalidations: 3, revalidated: 3 });

    clock.advance(SECOND);
    const never = await openCache({ revalidate: 'never' });
    const ignored = await visit(browser, never, site, { contextOptions });
    expectBuild(ignored.report, 1);
    expect(ignored.mainResponses).toEqual({});
    expect(never.stats().revalidations).toBe(0);
  });

  test("should be revalidated when the page's script sends Cache-Control: no-cache or Pragma: no-cache, and not otherwise", async ({ browser, site, clock, openCache }) => {
    const cache = await openCache({ revalidate: 'http' });
    expectBuild((await visit(browser, cache, site)).report, 1);
    clock.advance(SECOND);
    const lengths: number[] = [];
    const seen = await visit(browser, cache, site, {
      after: async page => {
        for (const headers of [{}, { 'cache-control': 'no-cache' }, { pragma: 'no-cache' }] as Array<Record<string, string>>) {
          // A check made after a request arrived answers it too: each fetch comes a second later.
          clock.advance(SECOND);
          lengths.push(await fetchMain(page, headers));
        }
      },
    });
    expectBuild(seen.report, 1);
    expect(lengths).toEqual([1, 2, 3].map(() => site.body(MAIN).length));
    const mains = seen.served.filter(event => new URL(event.url).pathname === MAIN);
    expect(mains.map(event => [event.source, event.revalidated])).toEqual([['memory', false], ['memory', false], ['disk', true], ['disk', true]]);
    expect(seen.mainResponses).toEqual({ 304: 2 });
    expect(seen.mainBytes).toBe(0);
  });
});

test('should serve stored entries offline without revalidating them, whatever the request asks', async ({ browser, site, clock, openCache }) => {
  expectBuild((await visit(browser, await openCache(), site)).report, 1);
  clock.advance(HOUR);
  site.deploy();
  const offline = await openCache({ mode: 'offline' });
  const seen = await visit(browser, offline, site, { contextOptions: { extraHTTPHeaders: { 'cache-control': 'no-cache' } } });
  // index.html (not cached) came from the origin and announces build 2; the cache ran build 1 without asking.
  expect(seen.report.main.build).toBe(1);
  expect(seen.mainResponses).toEqual({});
  expect(seen.main).toMatchObject({ source: 'disk', revalidated: false });
  expect(offline.stats()).toMatchObject({ revalidations: 0, errors: 0 });
});

test('should refetch whole in refresh mode, then revalidate what it stored', async ({ browser, site, clock, openCache }) => {
  expectBuild((await visit(browser, await openCache(), site)).report, 1);
  clock.advance(SECOND);
  const refresh = await openCache({ mode: 'refresh' });
  const whole = await visit(browser, refresh, site);
  expectBuild(whole.report, 1);
  expect(whole.mainResponses).toEqual({ 200: 1 });
  expect(whole.mainConditions).toEqual([{ ifNoneMatch: undefined, ifModifiedSince: undefined }]);
  expect(whole.main).toMatchObject({ source: 'network', stored: true });
  clock.advance(SECOND);
  const again = await visit(browser, refresh, site);
  expect(again.mainResponses).toEqual({ 304: 1 });
  expect(refresh.stats()).toMatchObject({ revalidations: 1, revalidated: 1 });
});

test.describe("as github-pages (fresh for 10 min), revalidate 'http'", () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'github-pages' } });

  test('should not serve from memory an entry the disk tier would revalidate, and keep the refreshed one in memory', async ({ browser, site, clock, openCache }) => {
    const cache = await openCache({ revalidate: 'http', memory: { ttl: '1d' } });
    expectBuild((await visit(browser, cache, site)).report, 1);
    clock.advance(5 * MINUTE);
    expect((await visit(browser, cache, site)).main).toMatchObject({ source: 'memory', revalidated: false });
    // Still in memory (TTL a day), stale by its headers.
    clock.advance(6 * MINUTE);
    const checked = await visit(browser, cache, site);
    expect(checked.mainResponses).toEqual({ 304: 1 });
    expect(checked.main).toMatchObject({ source: 'disk', revalidated: true });
    clock.advance(SECOND);
    const after = await visit(browser, cache, site);
    expect(after.mainResponses).toEqual({});
    expect(after.main).toMatchObject({ source: 'memory', revalidated: false });
  });
});

test('should use a versioned entry (CanvasKit under its engine revision) until maxAge, then revalidate it with a 304', async ({ browser, site, cdnWasm, clock, openCache }) => {
  const cache = await openCache({ maxAge: '1h' });
  expectBuild((await visit(browser, cache, site)).report, 1);
  clock.advance(59 * MINUTE);
  await visit(browser, cache, site);
  expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1 });
  clock.advance(2 * MINUTE);
  const late = await visit(browser, cache, site);
  expectBuild(late.report, 1);
  expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1, 304: 1 });
  expect(late.served.find(event => event.url.endsWith('/canvaskit.wasm'))).toMatchObject({ source: 'disk', revalidated: true });
});
