import type { BundleCache, RevalidateMode } from '../../../src/index.js';
import type { OriginProfile } from '../../site/server.js';
import { SITE_AGE, cdnAnswer, enterStep, expectedSteps, hasValidators, withLastModified, type Step } from '../../helpers/profileTable.js';
import { MAIN, expect, expectBuild, expectStaleBuild, test, visit, type Visit } from './fixtures.js';

// docs/freshness.md's table walked by real pages, one row per family of
// hosts: the build each page ran, with one clock for the site and the
// caches. Every row of the table (each profile, each revalidate mode) is
// walked without a browser, with the same counts, in
// tests/unit/warm/profiles.spec.ts. Memory keeps entries for a week, so
// every visit within a run is first the memory tier's decision.

const ROWS: ReadonlyArray<readonly [OriginProfile, RevalidateMode]> = [
  // Checked at every use: a 304's copy runs, and a deploy's new build at once.
  ['netlify', 'run'],
  // Fresh for a while: the stale build runs within a run, the new one in the next.
  ['github-pages', 'run'],
  // Nothing to check with: fetched whole at every use.
  ['no-validators', 'run'],
  // Never asked before maxAge: the stale build runs in a new run too.
  ['nginx', 'never'],
];

for (const [profile, mode] of ROWS) {
  test.describe(`as ${profile}`, () => {
    test.use({ siteOptions: { layout: 'flutter', profile }, siteAgeMs: SITE_AGE[profile] });

    const expected = expectedSteps(profile, mode);
    test(`should show a deploy as revalidate '${mode}' says: ${expected.map(step => `${step.answer}/${step.build}`).join(' ')}`, async ({ browser, site, cdnWasm, clock, openCache }) => {
      const options = { revalidate: mode, memory: { ttl: '7d' } };
      const caches: BundleCache[] = [];
      const run = async () => {
        caches.push(await openCache(options));
        return caches.at(-1)!;
      };
      let cache = await run();
      let storedBuild = 0;
      let sameRun = false;
      for (const want of expected) {
        const step = want.name;
        if (enterStep(step, profile, { clock, site })) {
          cache = await run();
          sameRun = false;
        }
        const before = { stats: cache.stats(), cdn: site.cdn.responses(cdnWasm) };
        const seen = await visit(browser, cache, site);
        const label = `step '${step}'`;
        await test.step(label, async () => {
          expectPage(seen, want.build, site.version);
          expectMainAnswer(seen, want.answer, label);
          // The request that reached the origin carried the stored build's validators, unless there were none to send.
          const conditional = step !== 'store' && hasValidators(profile) && mode !== 'never';
          for (const sent of seen.mainConditions) {
            expect(sent.ifNoneMatch, label).toBe(conditional ? site.responseHeaders(MAIN, storedBuild).etag : undefined);
            expect(sent.ifModifiedSince, label).toBe(conditional && withLastModified(profile) ? site.responseHeaders(MAIN, storedBuild)['last-modified'] : undefined);
          }
          expectServedMain(seen, want.answer, sameRun, label);
          // CanvasKit comes from the CDN under its engine revision: versioned, so immutable.
          const cdn = cdnAnswer(step, mode);
          expect(delta(before.cdn, site.cdn.responses(cdnWasm)), `${label}: canvaskit.wasm from the CDN`).toEqual(cdn === '-' ? {} : { [cdn]: 1 });
          const stats = cache.stats();
          expect(stats.revalidations - before.stats.revalidations, `${label}: conditional requests counted`)
              .toBe(seen.mainConditions.filter(sent => sent.ifNoneMatch || sent.ifModifiedSince).length + (cdn === '304' ? 2 : 0));
          expect(stats.revalidated - before.stats.revalidated, `${label}: 304s counted`).toBe((want.answer === '304' ? 1 : 0) + (cdn === '304' ? 2 : 0));
          expect(stats.errors).toBe(0);
        });
        storedBuild = want.build;
        sameRun = true;
      }
    });
  });
}

function expectPage(seen: Visit, build: number, announced: number): void {
  if (build === announced)
    expectBuild(seen.report, build);
  else
    expectStaleBuild(seen.report, build, announced);
}

/** What the site answered for main.dart.js: one 200 with the whole body, one bodiless 304, or nothing at all. */
function expectMainAnswer(seen: Visit, answer: Step['answer'], label: string): void {
  expect(seen.mainResponses, `${label}: main.dart.js at the origin`).toEqual(answer === '-' ? {} : { [answer]: 1 });
  if (answer !== '200')
    expect(seen.mainBytes, `${label}: main.dart.js body bytes from the origin`).toBe(0);
  else
    expect(seen.mainBytes).toBeGreaterThan(5_000_000);
}

/** The served event: from memory within a run, from disk in a new one, revalidated exactly when the origin said 304. */
function expectServedMain(seen: Visit, answer: Step['answer'], sameRun: boolean, label: string): void {
  expect(seen.main, `${label}: served event`).toMatchObject({
    source: answer === '200' ? 'network' : answer === '304' || !sameRun ? 'disk' : 'memory',
    stored: answer === '200',
    revalidated: answer === '304',
  });
}

function delta(before: Readonly<Record<number, number>>, after: Readonly<Record<number, number>>): Record<number, number> {
  const changed: Record<number, number> = {};
  for (const [status, count] of Object.entries(after)) {
    if (count !== (before[Number(status)] ?? 0))
      changed[Number(status)] = count - (before[Number(status)] ?? 0);
  }
  return changed;
}
