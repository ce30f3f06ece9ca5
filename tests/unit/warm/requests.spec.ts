import { HOUR, MINUTE, SECOND, buildOf, expect, load, test } from './fixtures.js';

// What a request asks for (a fresh copy, or nothing at all offline), and
// how the walk of the tiers judges copies over time. The request headers a
// page's own script sends reach the cache in Chromium:
// tests/browser/freshness/requests.spec.ts.

const NO_CACHE = { 'cache-control': 'no-cache' };

test.describe("a request that asks for a fresh copy, as firebase (fresh for an hour), revalidate 'http'", () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'firebase' } });

  test('should be checked when it sends Cache-Control: no-cache, versioned entries too, unless revalidate is never', async ({ site, cdnWasm, clock, openRun }) => {
    const run = await openRun({ revalidate: 'http' });
    await load(run, site);
    clock.advance(SECOND);
    const asked = await load(run, site, { headers: NO_CACHE });
    expect(buildOf(site, asked.main.body)).toBe(1);
    expect(asked.mainResponses).toEqual({ 304: 1 });
    expect([asked.main.source, asked.canvaskitJs.source, asked.canvaskitWasm.source]).toEqual(['checked', 'checked', 'checked']);
    // Versioned entries too: the request, not the entry, asks.
    expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1, 304: 1 });
    expect(run.cache.stats()).toMatchObject({ revalidations: 3, revalidated: 3 });

    clock.advance(SECOND);
    const never = await openRun({ revalidate: 'never' });
    const ignored = await load(never, site, { headers: NO_CACHE });
    expect(buildOf(site, ignored.main.body)).toBe(1);
    expect(ignored.mainResponses).toEqual({});
    expect(never.cache.stats().revalidations).toBe(0);
  });
});

test('should serve stored entries offline without checking them, whatever the request asks', async ({ site, clock, openRun }) => {
  await load(await openRun(), site);
  clock.advance(HOUR);
  site.deploy();
  const offline = await openRun({ mode: 'offline' });
  const seen = await load(offline, site, { headers: NO_CACHE });
  // Build 2 is deployed; the cache answers with build 1 without asking.
  expect(buildOf(site, seen.main.body)).toBe(1);
  expect(seen.mainResponses).toEqual({});
  expect([seen.main.source, seen.canvaskitJs.source, seen.canvaskitWasm.source]).toEqual(['stored copy', 'stored copy', 'stored copy']);
  expect(offline.cache.stats()).toMatchObject({ revalidations: 0, errors: 0 });
});

test('should refetch whole in refresh mode, then check what it stored', async ({ site, clock, openRun }) => {
  await load(await openRun(), site);
  clock.advance(SECOND);
  const refresh = await openRun({ mode: 'refresh' });
  const whole = await load(refresh, site);
  expect(buildOf(site, whole.main.body)).toBe(1);
  expect(whole.mainResponses).toEqual({ 200: 1 });
  expect(whole.mainConditions).toEqual([{ ifNoneMatch: undefined, ifModifiedSince: undefined }]);
  expect(whole.main.source).toBe('stored');
  clock.advance(SECOND);
  const again = await load(refresh, site);
  expect(again.mainResponses).toEqual({ 304: 1 });
  expect(refresh.cache.stats()).toMatchObject({ revalidations: 1, revalidated: 1 });
});

test.describe("as github-pages (fresh for 10 min), revalidate 'http'", () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'github-pages' } });

  test('should not serve from memory a copy that is due for a check, and keep the refreshed one in memory', async ({ site, clock, openRun }) => {
    const run = await openRun({ revalidate: 'http', memory: { ttl: '1d' } });
    await load(run, site);
    clock.advance(5 * MINUTE);
    expect((await load(run, site)).main.source).toBe('memory');
    // Still in memory (TTL a day), stale by its headers.
    clock.advance(6 * MINUTE);
    const checked = await load(run, site);
    expect(checked.mainResponses).toEqual({ 304: 1 });
    expect(checked.main.source).toBe('checked');
    clock.advance(SECOND);
    const after = await load(run, site);
    expect(after.mainResponses).toEqual({});
    expect(after.main.source).toBe('memory');
  });
});

test('should use a versioned entry (CanvasKit under its engine revision) until maxAge, then check it with a 304', async ({ site, cdnWasm, clock, openRun }) => {
  const run = await openRun({ maxAge: '1h' });
  await load(run, site);
  clock.advance(59 * MINUTE);
  // From disk: memory keeps entries 5 min by default.
  expect((await load(run, site)).canvaskitWasm.source).toBe('stored copy');
  expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1 });
  clock.advance(2 * MINUTE);
  const late = await load(run, site);
  expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1, 304: 1 });
  expect(late.canvaskitWasm.source).toBe('checked');
  expect(buildOf(site, late.main.body)).toBe(1);
});
