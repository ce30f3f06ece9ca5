import { metaSchema } from '../../../src/core/meta.js';
import { DAY, HOUR, MAIN, SECOND, expect, expectBuild, storedEntries, storedEntry, test, visit, type StoredEntry } from './fixtures.js';

// Validator and freshness headers no real host sends: the page works, the
// entry stays readable and correct, and nothing hostile is sent back.

const HUGE_ETAG = `"${'x'.repeat(100 * 1024)}"`;
/** Over the 1 KB the cache keeps, under the 16 KB of headers Playwright's fetch accepts. */
const BIG_ETAG = `"${'x'.repeat(8 * 1024)}"`;
const TEN_YEARS = 3650 * DAY;

/** meta.json passes the cache's own schema, its body is whole, and its freshness dates are real dates. */
function expectSoundEntry(entry: StoredEntry): void {
  expect(metaSchema.safeParse(entry.meta).success).toBe(true);
  expect(entry.body.length).toBe(entry.meta.size);
  const { validatedAt, freshUntil } = entry.meta.freshness!;
  expect(Date.parse(freshUntil)).toBeGreaterThanOrEqual(Date.parse(validatedAt));
  expect(Date.parse(freshUntil) - Date.parse(validatedAt)).toBeLessThanOrEqual(TEN_YEARS);
}

test('should leave a response with a 100 KB ETag to the browser: route.fetch refuses its head, nothing is stored', async ({ browser, site, cacheDir, openCache }) => {
  site.setHeaders(MAIN, { etag: HUGE_ETAG });
  const cache = await openCache();
  const seen = await visit(browser, cache, site);
  expectBuild(seen.report, 1);
  // Playwright's fetch (Node's HTTP parser) stops at 16 KB of headers; the browser then fetches it itself.
  expect(seen.problems.map(problem => problem.code)).toEqual(['ERR_FETCH_FAILED']);
  expect(seen.problems[0]!.message).toContain('Header overflow');
  expect(seen.main).toBeUndefined();
  expect(seen.mainResponses).toEqual({ 200: 2 });
  expect((await storedEntries(cacheDir)).map(entry => new URL(entry.meta.url).pathname)).not.toContain(MAIN);
  expect(cache.stats()).toMatchObject({ revalidations: 0, errors: 1 });
});

test('should store an entry with an 8 KB ETag without it, never send it back, and fetch it whole at its next check', async ({ browser, site, clock, cacheDir, openCache }) => {
  site.setHeaders(MAIN, { etag: BIG_ETAG });
  expectBuild((await visit(browser, await openCache(), site)).report, 1);
  const entry = await storedEntry(cacheDir, MAIN);
  expectSoundEntry(entry);
  expect(entry.meta.freshness!.headers.etag).toBeUndefined();
  clock.advance(SECOND);
  const cache = await openCache();
  const next = await visit(browser, cache, site);
  expectBuild(next.report, 1);
  expect(next.mainResponses).toEqual({ 200: 1 });
  expect(next.mainConditions).toEqual([{ ifNoneMatch: undefined, ifModifiedSince: undefined }]);
  expect(cache.stats()).toMatchObject({ revalidations: 0, errors: 0 });
});

test.describe('as nginx', () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'nginx' } });

  test('should drop an invalid Last-Modified and revalidate with the ETag alone', async ({ browser, site, clock, cacheDir, openCache }) => {
    site.setHeaders(MAIN, { 'last-modified': 'yesterday, around noon' });
    expectBuild((await visit(browser, await openCache(), site)).report, 1);
    expect((await storedEntry(cacheDir, MAIN)).meta.freshness!.headers['last-modified']).toBeUndefined();
    clock.advance(SECOND);
    const next = await visit(browser, await openCache(), site);
    expectBuild(next.report, 1);
    expect(next.mainResponses).toEqual({ 304: 1 });
    expect(next.mainConditions).toEqual([{ ifNoneMatch: site.responseHeaders(MAIN).etag, ifModifiedSince: undefined }]);
    // The 304 repeated the bad date; it did not get in either.
    const refreshed = await storedEntry(cacheDir, MAIN);
    expectSoundEntry(refreshed);
    expect(refreshed.meta.freshness!.headers['last-modified']).toBeUndefined();
    expect(refreshed.meta.freshness!.revalidations).toBe(1);
  });
});

test.describe("as firebase, revalidate 'http'", () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'firebase' } });

  test('should take max-age=-1 as stale: checked at the next use', async ({ browser, site, clock, cacheDir, openCache }) => {
    site.setHeaders(MAIN, { 'cache-control': 'max-age=-1' });
    const cache = await openCache({ revalidate: 'http' });
    expectBuild((await visit(browser, cache, site)).report, 1);
    const entry = await storedEntry(cacheDir, MAIN);
    expectSoundEntry(entry);
    expect(entry.meta.freshness!.freshUntil).toBe(entry.meta.freshness!.validatedAt);
    clock.advance(SECOND);
    const next = await visit(browser, cache, site);
    expectBuild(next.report, 1);
    expect(next.mainResponses).toEqual({ 304: 1 });
  });

  test('should cap max-age=99999999999 at ten years, and at maxAge anyway', async ({ browser, site, clock, cacheDir, openCache }) => {
    site.setHeaders(MAIN, { 'cache-control': 'max-age=99999999999' });
    const cache = await openCache({ revalidate: 'http' });
    expectBuild((await visit(browser, cache, site)).report, 1);
    const entry = await storedEntry(cacheDir, MAIN);
    expectSoundEntry(entry);
    expect(Date.parse(entry.meta.freshness!.freshUntil) - Date.parse(entry.meta.freshness!.validatedAt)).toBe(TEN_YEARS);
    clock.advance(23 * HOUR);
    expect((await visit(browser, cache, site)).mainResponses).toEqual({});
    clock.advance(2 * HOUR);
    const late = await visit(browser, cache, site);
    expectBuild(late.report, 1);
    expect(late.mainResponses).toEqual({ 304: 1 });
    expect(cache.stats().errors).toBe(0);
  });

  test('should read duplicated Cache-Control lines as one list, so no-cache in either wins', async ({ browser, site, clock, cacheDir, openCache }) => {
    site.setHeaders(MAIN, { 'cache-control': ['max-age=600', 'no-cache'] });
    const cache = await openCache({ revalidate: 'http' });
    expectBuild((await visit(browser, cache, site)).report, 1);
    const entry = await storedEntry(cacheDir, MAIN);
    expectSoundEntry(entry);
    expect(entry.meta.freshness!.headers['cache-control']).toBe('max-age=600, no-cache');
    clock.advance(SECOND);
    const next = await visit(browser, cache, site);
    expectBuild(next.report, 1);
    expect(next.mainResponses).toEqual({ 304: 1 });
    expect(next.main).toMatchObject({ revalidated: true });
  });
});
