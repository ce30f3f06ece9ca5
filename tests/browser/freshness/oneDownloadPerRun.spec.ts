import type { BundleCacheError, BundleCacheStats } from '../../../src/index.js';
import { endChildren, finish, startTogether } from '../../helpers/children.js';
import type { FlutterReport, OriginProfile, Site } from '../../site/server.js';
import { expect, test, visit } from './fixtures.js';

// One download per bundle per run, whatever the origin sends (issue 19): a
// self-hosted, unversioned Flutter app (main.dart.js and canvaskit.{js,wasm}
// at fixed URLs), served as a host that sends no validators and as one that
// sends a strong ETag with must-revalidate (Netlify).

const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;

interface Visited {
  readonly stats: BundleCacheStats;
  readonly report: FlutterReport;
}

/** What the origin did per bundle since the last reset: requests by status, and body bytes. */
function originOf(site: Site) {
  return Object.fromEntries(BUNDLES.map(path => [path, { ...site.responses(path) }]));
}

function bodyBytes(site: Site): number {
  return BUNDLES.reduce((sum, path) => sum + site.bytesSent(path), 0);
}

async function processes(site: Site, dir: string, count: number): Promise<Visited[]> {
  const children = await startTogether('tests/helpers/childVisit.ts', () => [dir, site.pageUrl], count);
  const results = await Promise.all(children.map(child => finish<Visited>(child)));
  await endChildren(children);
  return results.map(({ result, code }) => {
    expect(code).toBe(0);
    return result!;
  });
}

function expectBuildRan(visited: readonly Visited[], site: Site): void {
  for (const { report } of visited) {
    expect(report.error).toBeNull();
    expect(report.main).toMatchObject({ loaded: true, build: site.version, matched: true });
  }
}

const PROFILES: ReadonlyArray<{ profile: OriginProfile; validators: boolean }> = [
  { profile: 'no-validators', validators: false },
  { profile: 'netlify', validators: true },
];

for (const { profile, validators } of PROFILES) {
  test.describe(`as ${profile}, self-hosted and unversioned`, () => {
    test.use({ siteOptions: { layout: 'flutter', profile, localCanvasKit: true } });

    test(`should download each bundle once for four cold processes, ${validators ? 'no body' : 'each bundle once more'} in a later process, and nothing more for a second context of one cache`, async ({ browser, site, cacheDir, openCache }) => {
      test.setTimeout(180_000);
      // Four processes, each its own run and its own Chromium, start at the same moment on an empty dir.
      const cold = await processes(site, cacheDir, 4);
      expectBuildRan(cold, site);
      expect(originOf(site), 'cold: one 200 per bundle for the four').toEqual(Object.fromEntries(BUNDLES.map(path => [path, { 200: 1 }])));
      expect(cold.reduce((sum, { stats }) => sum + stats.misses, 0)).toBe(BUNDLES.length);
      // The three that waited were served on the first one's download, made during their runs.
      if (!validators)
        expect(cold.reduce((sum, { stats }) => sum + stats.checksBorrowed, 0)).toBe(3 * BUNDLES.length);

      // A later run: the ETag'd bundles cost a 304 each, no body; the others one download each.
      site.resetCounters();
      const [later] = await processes(site, cacheDir, 1);
      expectBuildRan([later!], site);
      expect(originOf(site)).toEqual(Object.fromEntries(BUNDLES.map(path => [path, validators ? { 304: 1 } : { 200: 1 }])));
      if (validators)
        expect(bodyBytes(site)).toBe(0);
      expect(later!.stats).toMatchObject({ revalidations: validators ? BUNDLES.length : 0, withoutValidators: validators ? 0 : BUNDLES.length });

      // One BundleCache (one run), two contexts: nothing more is downloaded.
      site.resetCounters();
      const cache = await openCache({ now: Date.now });
      const problems: BundleCacheError[] = [];
      cache.on('problem', error => problems.push(error));
      const first = await visit(browser, cache, site);
      expect(first.report.error).toBeNull();
      const afterFirst = bodyBytes(site);
      const second = await visit(browser, cache, site);
      expect(second.report.error).toBeNull();
      expect(bodyBytes(site), 'body bytes for the second context').toBe(afterFirst);
      if (!validators) {
        // Each bundle once for this run, the second context none.
        expect(originOf(site)).toEqual(Object.fromEntries(BUNDLES.map(path => [path, { 200: 1 }])));
        expect(problems.map(problem => [problem.code, problem.details.url])).toEqual(expect.arrayContaining(BUNDLES.map(path => ['ERR_NO_VALIDATORS', site.origin + path])));
        expect(problems).toHaveLength(BUNDLES.length);
        expect(problems[0]!.message).toContain("Fix: serve it with an ETag or Last-Modified, version its URL, or set revalidate: 'never'");
      } else {
        expect(afterFirst).toBe(0);
        expect(problems).toEqual([]);
      }
      expect(cache.stats()).toMatchObject({ errors: 0, withoutValidators: validators ? 0 : BUNDLES.length });
    });
  });
}
