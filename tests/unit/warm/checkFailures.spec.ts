import { nodeFileOps } from '../../../src/disk/fileOps.js';
import { storeFsOver, type StoreFs } from '../../../src/disk/storeFs.js';
import type { BundleCacheError } from '../../../src/index.js';
import { faultyFs } from '../../helpers/faultyFs.js';
import { listFiles } from '../../helpers/tempDir.js';
import { HOUR, MAIN, MINUTE, SECOND, buildOf, expect, load, storedEntry, test, type Load, type Run } from './fixtures.js';

// Checks that fail: a fault writing the refreshed meta.json, an origin that
// answers 5xx or resets. What the page then gets from the route (the 5xx,
// or its own fetch) is shown in Chromium by tests/browser/freshness/earlyChecks.spec.ts
// and hostileHeaders.spec.ts.

/** The one ERR_REVALIDATE_FAILED problem of a run since `from`. */
function revalidateProblem(run: Run, from = 0): BundleCacheError {
  const problems = run.problems.slice(from).filter(problem => problem.code === 'ERR_REVALIDATE_FAILED');
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

/** main.dart.js was answered with the stored build 1, not checked (stale-if-error), or not at all: the origin's answer passed on. */
function expectStaleServed(seen: Load, site: Parameters<typeof buildOf>[0], servedStale: boolean): void {
  if (servedStale) {
    expect(seen.main.source).toBe('stored copy');
    expect(buildOf(site, seen.main.body)).toBe(1);
  } else {
    expect(seen.main.source).toBe('not stored');
  }
}

test.describe('a fault while writing the refreshed meta.json', () => {
  // A switch, so the same seam lets the first store through and fails the refresh.
  let armed = false;
  const isMeta = (file: string) => armed && /\.meta\.json(?:\.\d+)?$/.test(file);
  const faults: Array<{ name: string; fs: StoreFs; errno: string }> = [
    { name: 'the atomic write (ENOSPC)', fs: faultyFs('writeFileAtomic', 'ENOSPC', isMeta), errno: 'ENOSPC' },
    {
      name: 'the rename inside the atomic write (EIO)', errno: 'EIO',
      fs: storeFsOver({ ...nodeFileOps, rename: async (from, to) => {
        if (isMeta(from))
          throw Object.assign(new Error(`EIO: injected fault, rename '${from}'`), { code: 'EIO' });
        return nodeFileOps.rename(from, to);
      } }),
    },
  ];

  for (const fault of faults) {
    test(`should keep the previous entry whole and still answer with the confirmed copy: ${fault.name}`, async ({ site, clock, cacheDir, openRun }) => {
      armed = false;
      expect(buildOf(site, (await load(await openRun({}, { fs: fault.fs }), site)).main.body)).toBe(1);
      const before = await storedEntry(cacheDir, MAIN);

      armed = true;
      clock.advance(SECOND);
      const faulty = await openRun({}, { fs: fault.fs });
      const seen = await load(faulty, site);
      expect(seen.main.source).toBe('checked');
      expect(buildOf(site, seen.main.body)).toBe(1);
      expect(seen.mainResponses).toEqual({ 304: 1 });
      expect(faulty.problems.map(problem => [problem.code, problem.details.errno])).toEqual([['ERR_STORE_FAILED', fault.errno]]);
      expect(faulty.cache.stats()).toMatchObject({ revalidations: 1, revalidated: 1, errors: 1 });
      // Byte for byte the entry the first run wrote, and no temp file left behind.
      const after = await storedEntry(cacheDir, MAIN);
      expect(after.metaBytes).toEqual(before.metaBytes);
      expect(after.body.equals(before.body)).toBe(true);
      expect((await listFiles(cacheDir)).filter(file => /\.\d+$/.test(file))).toEqual([]);

      armed = false;
      clock.advance(SECOND);
      const healthy = await openRun();
      const next = await load(healthy, site);
      expect(buildOf(site, next.main.body)).toBe(1);
      expect(next.mainResponses).toEqual({ 304: 1 });
      const refreshed = await storedEntry(cacheDir, MAIN);
      expect(refreshed.meta.freshness!.revalidations).toBe(1);
      expect(refreshed.meta.sha256).toBe(before.meta.sha256);
      expect(healthy.cache.stats().errors).toBe(0);
    });
  }
});

test.describe('the origin fails while an entry is checked', () => {
  test('should pass the origin\'s 5xx on for a must-revalidate entry, even with staleIfError, and keep the entry', async ({ site, clock, cacheDir, openRun }) => {
    await load(await openRun(), site);
    const stored = (await storedEntry(cacheDir, MAIN)).metaBytes;
    clock.advance(SECOND);
    site.fail(MAIN, { status: 503 }, 1);
    const run = await openRun({ staleIfError: true });
    const seen = await load(run, site);
    expect(seen.main.result).toMatchObject({ outcome: 'not-stored', reason: 'status 503' });
    expect(seen.mainResponses).toEqual({ 503: 1 });
    expect(revalidateProblem(run).details).toMatchObject({ status: 503, servedStale: false });
    // The stored entry is untouched, and the next run gets a 304 for it.
    expect((await storedEntry(cacheDir, MAIN)).metaBytes).toEqual(stored);
    clock.advance(SECOND);
    const next = await load(await openRun(), site);
    expect(buildOf(site, next.main.body)).toBe(1);
    expect(next.mainResponses).toEqual({ 304: 1 });
  });

  test('should leave a must-revalidate entry to the client\'s own fetch after a network error', async ({ site, clock, openRun }) => {
    await load(await openRun(), site);
    clock.advance(SECOND);
    site.fail(MAIN, 'reset', 1);
    const run = await openRun({ staleIfError: true });
    const seen = await load(run, site);
    expect(seen.main.result.outcome).toBe('failed');
    expect(seen.main.result.reason).toMatch(/^fetch failed: /);
    expect(seen.mainConditions.map(sent => sent.ifNoneMatch !== undefined)).toEqual([true]);
    expect(seen.mainResponses).toEqual({});
    expect(revalidateProblem(run).details).toMatchObject({ servedStale: false, status: undefined });
  });

  test.describe('without must-revalidate', () => {
    test.use({ siteOptions: { layout: 'flutter', profile: 'firebase' } });

    test('should serve the stored copy as the origin\'s stale-if-error allows, and never past maxAge', async ({ site, clock, openRun }) => {
      site.setHeaders(MAIN, { 'cache-control': 'max-age=60, stale-if-error=604800' });
      const run = await openRun({ revalidate: 'http' });
      await load(run, site);
      clock.advance(2 * MINUTE);
      site.fail(MAIN, { status: 503 }, 1);
      const stale = await load(run, site);
      expectStaleServed(stale, site, true);
      expect(stale.mainResponses).toEqual({ 503: 1 });
      expect(revalidateProblem(run).details).toMatchObject({ status: 503, servedStale: true });

      clock.advance(25 * HOUR);
      site.fail(MAIN, { status: 500 }, 1);
      const seen = run.problems.length;
      const late = await load(run, site);
      expectStaleServed(late, site, false);
      expect(revalidateProblem(run, seen).details).toMatchObject({ status: 500, servedStale: false });
    });

    test('should pass the 5xx on by default, and serve the stored copy as the staleIfError option allows', async ({ site, clock, openRun }) => {
      await load(await openRun({ revalidate: 'http' }), site);
      // Fresh for an hour by max-age=3600; 61 min later the check fails.
      clock.advance(61 * MINUTE);
      for (const [staleIfError, servedStale] of [[false, false], ['10m', true]] as const) {
        site.fail(MAIN, { status: 502 }, 1);
        const run = await openRun({ revalidate: 'http', staleIfError });
        const seen = await load(run, site);
        expect(revalidateProblem(run).details, `staleIfError ${staleIfError}`).toMatchObject({ status: 502, servedStale });
        expectStaleServed(seen, site, servedStale);
      }
      // 20 min past its freshness: more than '10m' allows, within what `true` allows; past maxAge nothing does.
      clock.advance(19 * MINUTE);
      for (const [staleIfError, advance, servedStale] of [['10m', 0, false], [true, 0, true], [true, 25 * HOUR, false]] as const) {
        clock.advance(advance);
        site.fail(MAIN, { status: 504 }, 1);
        const run = await openRun({ revalidate: 'http', staleIfError });
        const seen = await load(run, site);
        expect(revalidateProblem(run).details, `staleIfError ${staleIfError}, +${advance} ms`).toMatchObject({ status: 504, servedStale });
        expectStaleServed(seen, site, servedStale);
      }
    });
  });
});
