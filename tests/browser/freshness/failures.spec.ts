import { readFile } from 'node:fs/promises';
import { nodeFileOps, storeFsOver, type StoreFs } from '../../../src/disk/storeFs.js';
import { faultyFs } from '../../helpers/faultyFs.js';
import { listFiles } from '../../helpers/tempDir.js';
import { HOUR, MAIN, MINUTE, SECOND, expect, expectBuild, storedEntry, test, visit, type Visit } from './fixtures.js';

const COULD_NOT_LOAD_MAIN = /^could not load \/main\.dart\.js \(/;

/** The one ERR_REVALIDATE_FAILED problem of a visit, with what the page got. */
function revalidateProblem(seen: Visit) {
  const problems = seen.problems.filter(problem => problem.code === 'ERR_REVALIDATE_FAILED');
  expect(problems).toHaveLength(1);
  return problems[0]!;
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
    test(`should keep the previous entry whole and give the page its bytes: ${fault.name}`, async ({ browser, site, clock, cacheDir, openCache }) => {
      armed = false;
      expectBuild((await visit(browser, await openCache({}, { fs: fault.fs }), site)).report, 1);
      const before = await storedEntry(cacheDir, MAIN);
      const metaBytes = await readFile(before.metaPath);

      armed = true;
      clock.advance(SECOND);
      const faulty = await openCache({}, { fs: fault.fs });
      const seen = await visit(browser, faulty, site);
      expectBuild(seen.report, 1);
      expect(seen.mainResponses).toEqual({ 304: 1 });
      expect(seen.main).toMatchObject({ source: 'disk', revalidated: true });
      expect(seen.problems.map(problem => [problem.code, problem.details.errno])).toEqual([['ERR_STORE_FAILED', fault.errno]]);
      expect(faulty.stats()).toMatchObject({ revalidations: 1, revalidated: 1, errors: 1 });
      // Byte for byte the entry the first run wrote, and no temp file left behind.
      expect(await readFile(before.metaPath)).toEqual(metaBytes);
      expect((await readFile(before.bodyPath)).equals(before.body)).toBe(true);
      expect((await listFiles(cacheDir)).filter(file => /\.\d+$/.test(file))).toEqual([]);

      armed = false;
      clock.advance(SECOND);
      const healthy = await openCache();
      const after = await visit(browser, healthy, site);
      expectBuild(after.report, 1);
      expect(after.mainResponses).toEqual({ 304: 1 });
      const refreshed = await storedEntry(cacheDir, MAIN);
      expect(refreshed.meta.freshness!.revalidations).toBe(1);
      expect(refreshed.meta.sha256).toBe(before.meta.sha256);
      expect(healthy.stats().errors).toBe(0);
    });
  }
});

test.describe('the origin fails while an entry is revalidated', () => {
  test('should give the page the origin\'s 5xx for a must-revalidate entry, even with staleIfError', async ({ browser, site, clock, cacheDir, openCache }) => {
    expectBuild((await visit(browser, await openCache(), site)).report, 1);
    const stored = await readFile((await storedEntry(cacheDir, MAIN)).metaPath);
    clock.advance(SECOND);
    site.fail(MAIN, { status: 503 }, 1);
    const seen = await visit(browser, await openCache({ staleIfError: true }), site);
    expect(seen.report.error).toMatch(COULD_NOT_LOAD_MAIN);
    expect(seen.mainResponses).toEqual({ 503: 1 });
    expect(seen.main).toMatchObject({ source: 'network', stored: false, revalidated: false });
    expect(revalidateProblem(seen).details).toMatchObject({ status: 503, servedStale: false });
    // The stored entry is untouched, and the next run gets a 304 for it.
    expect(await readFile((await storedEntry(cacheDir, MAIN)).metaPath)).toEqual(stored);
    clock.advance(SECOND);
    const next = await visit(browser, await openCache(), site);
    expectBuild(next.report, 1);
    expect(next.mainResponses).toEqual({ 304: 1 });
  });

  test('should let the browser fetch a must-revalidate entry itself after a network error', async ({ browser, site, clock, openCache }) => {
    expectBuild((await visit(browser, await openCache(), site)).report, 1);
    clock.advance(SECOND);
    site.fail(MAIN, 'reset', 1);
    const seen = await visit(browser, await openCache({ staleIfError: true }), site);
    // The conditional request was reset; the browser's own request got the build.
    expectBuild(seen.report, 1);
    expect(seen.mainConditions.map(sent => sent.ifNoneMatch !== undefined)).toEqual([true, false]);
    expect(seen.mainResponses).toEqual({ 200: 1 });
    expect(seen.main).toBeUndefined();
    expect(revalidateProblem(seen).details).toMatchObject({ servedStale: false, status: undefined });
  });

  test.describe('without must-revalidate', () => {
    test.use({ siteOptions: { layout: 'flutter', profile: 'firebase' } });

    test('should serve the stored copy as the origin\'s stale-if-error allows, and never past maxAge', async ({ browser, site, clock, openCache }) => {
      site.setHeaders(MAIN, { 'cache-control': 'max-age=60, stale-if-error=604800' });
      const cache = await openCache({ revalidate: 'http' });
      expectBuild((await visit(browser, cache, site)).report, 1);
      clock.advance(2 * MINUTE);
      // Twice: the check started at the document's request, then the page's own (see earlyChecks.spec.ts).
      site.fail(MAIN, { status: 503 }, 2);
      const stale = await visit(browser, cache, site);
      expectBuild(stale.report, 1);
      expect(stale.mainResponses).toEqual({ 503: 2 });
      expect(stale.main).toMatchObject({ source: 'disk', revalidated: false });
      expect(revalidateProblem(stale).details).toMatchObject({ status: 503, servedStale: true });

      clock.advance(25 * HOUR);
      site.fail(MAIN, { status: 500 }, 2);
      const late = await visit(browser, cache, site);
      expect(late.report.error).toMatch(COULD_NOT_LOAD_MAIN);
      expect(revalidateProblem(late).details).toMatchObject({ status: 500, servedStale: false });
    });

    test('should give the page the 5xx by default, and the stored copy as the staleIfError option allows', async ({ browser, site, clock, openCache }) => {
      expectBuild((await visit(browser, await openCache({ revalidate: 'http' }), site)).report, 1);
      // Fresh for an hour by max-age=3600; 61 min later the check fails.
      clock.advance(61 * MINUTE);
      for (const [staleIfError, servedStale] of [[false, false], ['10m', true]] as const) {
        site.fail(MAIN, { status: 502 }, 1);
        const seen = await visit(browser, await openCache({ revalidate: 'http', staleIfError }), site);
        expect(revalidateProblem(seen).details, `staleIfError ${staleIfError}`).toMatchObject({ status: 502, servedStale });
        if (servedStale)
          expectBuild(seen.report, 1);
        else
          expect(seen.report.error).toMatch(COULD_NOT_LOAD_MAIN);
      }
      // 20 min past its freshness: more than '10m' allows, within what `true` allows; past maxAge nothing does.
      clock.advance(19 * MINUTE);
      for (const [staleIfError, advance, servedStale] of [['10m', 0, false], [true, 0, true], [true, 25 * HOUR, false]] as const) {
        clock.advance(advance);
        site.fail(MAIN, { status: 504 }, 1);
        const seen = await visit(browser, await openCache({ revalidate: 'http', staleIfError }), site);
        expect(revalidateProblem(seen).details, `staleIfError ${staleIfError}, +${advance} ms`).toMatchObject({ status: 504, servedStale });
        expect(seen.report.error === null).toBe(servedStale);
      }
    });
  });
});
