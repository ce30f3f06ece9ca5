import type { RevalidateMode } from '../../../src/index.js';
import { ORIGIN_PROFILES } from '../../site/server.js';
import { SITE_AGE, cdnAnswer, enterStep, expectedSteps, hasValidators, withLastModified, type Step } from '../../helpers/profileTable.js';
import { MAIN, buildOf, delta, expect, load, test, type Load, type Run } from './fixtures.js';

// docs/freshness.md's table, every row: for each host profile and revalidate
// mode, the visits of profileTable.ts with one clock for the site and the
// caches, each visit the page's three bundles through warm(). Memory keeps
// entries for a week, so every visit within a run is first the memory
// tier's decision. tests/browser/freshness/profiles.spec.ts walks one row
// per family with real pages, for the build the page ran.

const MODES: readonly RevalidateMode[] = ['run', 'http', 'always', 'never'];

for (const profile of ORIGIN_PROFILES) {
  test.describe(`as ${profile}`, () => {
    test.use({ siteOptions: { layout: 'flutter', profile }, siteAgeMs: SITE_AGE[profile] });

    for (const mode of MODES) {
      const expected = expectedSteps(profile, mode);
      test(`should show a deploy as revalidate '${mode}' says: ${expected.map(step => `${step.answer}/${step.build}`).join(' ')}`, async ({ site, cdnWasm, clock, openRun }) => {
        const options = { revalidate: mode, memory: { ttl: '7d' } };
        let run: Run = await openRun(options);
        let storedBuild = 0;
        let sameRun = false;
        for (const want of expected) {
          const step = want.name;
          if (enterStep(step, profile, { clock, site })) {
            run = await openRun(options);
            sameRun = false;
          }
          const before = { stats: run.cache.stats(), cdn: site.cdn.responses(cdnWasm) };
          const seen = await load(run, site);
          const label = `step '${step}'`;
          await test.step(label, async () => {
            // The bytes the page would run: exactly this build's.
            expect(buildOf(site, seen.main.body), `${label}: build served`).toBe(want.build);
            expectMainAnswer(seen, want.answer, label);
            // The request that reached the origin carried the stored build's validators, unless there were none to send.
            const conditional = step !== 'store' && hasValidators(profile) && mode !== 'never';
            for (const sent of seen.mainConditions) {
              expect(sent.ifNoneMatch, label).toBe(conditional ? site.responseHeaders(MAIN, storedBuild).etag : undefined);
              expect(sent.ifModifiedSince, label).toBe(conditional && withLastModified(profile) ? site.responseHeaders(MAIN, storedBuild)['last-modified'] : undefined);
            }
            expectServedMain(seen, want.answer, sameRun, label);
            const cdn = cdnAnswer(step, mode);
            expect(delta(before.cdn, site.cdn.responses(cdnWasm)), `${label}: canvaskit.wasm from the CDN`).toEqual(cdn === '-' ? {} : { [cdn]: 1 });
            const stats = run.cache.stats();
            expect(stats.revalidations - before.stats.revalidations, `${label}: conditional requests counted`)
                .toBe(seen.mainConditions.filter(sent => sent.ifNoneMatch || sent.ifModifiedSince).length + (cdn === '304' ? 2 : 0));
            expect(stats.revalidated - before.stats.revalidated, `${label}: 304s counted`).toBe((want.answer === '304' ? 1 : 0) + (cdn === '304' ? 2 : 0));
            expect(stats.errors).toBe(0);
            // Over the run so far: a bundle without validators named once, and no other problem.
            const named = hasValidators(profile) || mode === 'never' ? [] : [site.origin + MAIN];
            expect(run.problems.map(problem => [problem.code, problem.details.url]), label).toEqual(named.map(url => ['ERR_NO_VALIDATORS', url]));
          });
          storedBuild = want.build;
          sameRun = true;
        }
      });
    }
  });
}

/** What the site answered for main.dart.js: one 200 with the whole body, one bodiless 304, or nothing at all. */
function expectMainAnswer(seen: Load, answer: Step['answer'], label: string): void {
  expect(seen.mainResponses, `${label}: main.dart.js at the origin`).toEqual(answer === '-' ? {} : { [answer]: 1 });
  if (answer !== '200')
    expect(seen.mainBytes, `${label}: main.dart.js body bytes from the origin`).toBe(0);
  else
    expect(seen.mainBytes).toBeGreaterThan(5_000_000);
}

/**
 * Where main.dart.js came from, as the page's served event says it: stored
 * after a 200; checked (the 304's copy, which the resolver serves from the
 * slowest tier holding it: disk) after a 304; else from memory within a run
 * and from disk in a new one.
 */
function expectServedMain(seen: Load, answer: Step['answer'], sameRun: boolean, label: string): void {
  const source = answer === '200' ? 'stored' : answer === '304' ? 'checked' : sameRun ? 'memory' : 'stored copy';
  expect(seen.main.source, `${label}: served from`).toBe(source);
}
