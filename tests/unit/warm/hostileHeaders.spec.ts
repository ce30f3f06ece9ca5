import { metaSchema } from '../../../src/core/meta.js';
import { DAY, HOUR, MAIN, SECOND, buildOf, expect, load, storedEntry, test, type StoredEntry } from './fixtures.js';

// Validator and freshness headers no real host sends: the entry stays
// readable and correct, and nothing hostile is sent back. (A 100 KB ETag,
// which the fetch itself refuses, is left to the browser: tests/browser/freshness/hostileHeaders.spec.ts.)

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

test('should store an entry with an 8 KB ETag without it, never send it back, and fetch it whole at its next check', async ({ site, clock, cacheDir, openRun }) => {
  site.setHeaders(MAIN, { etag: BIG_ETAG });
  await load(await openRun(), site);
  const entry = await storedEntry(cacheDir, MAIN);
  expectSoundEntry(entry);
  expect(entry.meta.freshness!.headers.etag).toBeUndefined();
  clock.advance(SECOND);
  const run = await openRun();
  const next = await load(run, site);
  expect(buildOf(site, next.main.body)).toBe(1);
  expect(next.mainResponses).toEqual({ 200: 1 });
  expect(next.mainConditions).toEqual([{ ifNoneMatch: undefined, ifModifiedSince: undefined }]);
  expect(run.cache.stats()).toMatchObject({ revalidations: 0, errors: 0 });
});

test.describe('as nginx', () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'nginx' } });

  test('should drop an invalid Last-Modified and revalidate with the ETag alone', async ({ site, clock, cacheDir, openRun }) => {
    site.setHeaders(MAIN, { 'last-modified': 'yesterday, around noon' });
    await load(await openRun(), site);
    expect((await storedEntry(cacheDir, MAIN)).meta.freshness!.headers['last-modified']).toBeUndefined();
    clock.advance(SECOND);
    const next = await load(await openRun(), site);
    expect(buildOf(site, next.main.body)).toBe(1);
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

  test('should take max-age=-1 as stale: checked at the next use', async ({ site, clock, cacheDir, openRun }) => {
    site.setHeaders(MAIN, { 'cache-control': 'max-age=-1' });
    const run = await openRun({ revalidate: 'http' });
    await load(run, site);
    const entry = await storedEntry(cacheDir, MAIN);
    expectSoundEntry(entry);
    expect(entry.meta.freshness!.freshUntil).toBe(entry.meta.freshness!.validatedAt);
    clock.advance(SECOND);
    const next = await load(run, site);
    expect(buildOf(site, next.main.body)).toBe(1);
    expect(next.mainResponses).toEqual({ 304: 1 });
  });

  test('should cap max-age=99999999999 at ten years, and at maxAge anyway', async ({ site, clock, cacheDir, openRun }) => {
    site.setHeaders(MAIN, { 'cache-control': 'max-age=99999999999' });
    const run = await openRun({ revalidate: 'http' });
    await load(run, site);
    const entry = await storedEntry(cacheDir, MAIN);
    expectSoundEntry(entry);
    expect(Date.parse(entry.meta.freshness!.freshUntil) - Date.parse(entry.meta.freshness!.validatedAt)).toBe(TEN_YEARS);
    clock.advance(23 * HOUR);
    expect((await load(run, site)).mainResponses).toEqual({});
    clock.advance(2 * HOUR);
    const late = await load(run, site);
    expect(buildOf(site, late.main.body)).toBe(1);
    expect(late.mainResponses).toEqual({ 304: 1 });
    expect(run.cache.stats().errors).toBe(0);
  });

  test('should read duplicated Cache-Control lines as one list, so no-cache in either wins', async ({ site, clock, cacheDir, openRun }) => {
    site.setHeaders(MAIN, { 'cache-control': ['max-age=600', 'no-cache'] });
    const run = await openRun({ revalidate: 'http' });
    await load(run, site);
    const entry = await storedEntry(cacheDir, MAIN);
    expectSoundEntry(entry);
    expect(entry.meta.freshness!.headers['cache-control']).toBe('max-age=600, no-cache');
    clock.advance(SECOND);
    const next = await load(run, site);
    expect(buildOf(site, next.main.body)).toBe(1);
    expect(next.mainResponses).toEqual({ 304: 1 });
    expect(next.main.source).toBe('checked');
  });
});
