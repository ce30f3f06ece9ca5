import { writeFile } from 'node:fs/promises';
import { MAIN, SECOND, buildOf, expect, load, storedEntries, storedEntry, test } from './fixtures.js';

// A cache dir written by the release before revalidation: its entries have
// no `freshness` record, and are read and checked, not thrown away.

/** Rewrites every meta.json under `dir` as that release wrote it: no `freshness` record. */
async function asPreviousRelease(dir: string): Promise<number> {
  const entries = await storedEntries(dir);
  for (const { meta, metaPath } of entries) {
    const { freshness: _dropped, ...previous } = meta;
    await writeFile(metaPath, `${JSON.stringify(previous, null, 2)}\n`);
  }
  return entries.length;
}

test('should check its unversioned entry with a 304 and leave the versioned ones as they were', async ({ site, cdnWasm, clock, cacheDir, openRun }) => {
  await load(await openRun(), site);
  const etag = site.responseHeaders(MAIN).etag;
  expect(await asPreviousRelease(cacheDir)).toBe(3);
  clock.advance(SECOND);
  const run = await openRun({ revalidate: 'http' });
  const seen = await load(run, site);
  expect(buildOf(site, seen.main.body)).toBe(1);
  // Stale by definition, checked with the ETag it was stored with; CanvasKit's versioned URLs are immutable.
  expect(seen.mainResponses).toEqual({ 304: 1 });
  expect(seen.mainConditions).toEqual([{ ifNoneMatch: etag, ifModifiedSince: undefined }]);
  expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1 });
  expect([seen.main.source, seen.canvaskitJs.source, seen.canvaskitWasm.source]).toEqual(['checked', 'stored copy', 'stored copy']);
  expect(run.cache.stats()).toMatchObject({ revalidations: 1, revalidated: 1, errors: 0 });
  const main = await storedEntry(cacheDir, MAIN);
  expect(main.meta.freshness).toMatchObject({ kind: 'revalidated', revalidations: 1, headers: { etag } });
  // The versioned entries stay as they were: judged immutable without being rewritten.
  const others = (await storedEntries(cacheDir)).filter(entry => new URL(entry.meta.url).pathname !== MAIN);
  expect(others.map(entry => entry.meta.freshness)).toEqual([undefined, undefined]);
});

test.describe('as no-validators', () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'no-validators' } });

  test('should fetch an unversioned entry without validators whole, and store it with its freshness', async ({ site, clock, cacheDir, openRun }) => {
    await load(await openRun(), site);
    await asPreviousRelease(cacheDir);
    clock.advance(SECOND);
    const seen = await load(await openRun({ revalidate: 'http' }), site);
    expect(buildOf(site, seen.main.body)).toBe(1);
    expect(seen.mainResponses).toEqual({ 200: 1 });
    expect(seen.mainConditions).toEqual([{ ifNoneMatch: undefined, ifModifiedSince: undefined }]);
    expect((await storedEntry(cacheDir, MAIN)).meta.freshness).toMatchObject({ kind: 'revalidated', revalidations: 0 });
  });
});
