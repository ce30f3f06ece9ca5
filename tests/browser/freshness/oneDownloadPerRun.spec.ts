import type { BundleCacheError } from '../../../src/index.js';
import type { Site } from '../../site/server.js';
import { expect, test, visit } from './fixtures.js';

// One download per bundle per run, whatever the origin sends (issue 19): a
// self-hosted, unversioned Flutter app (main.dart.js and canvaskit.{js,wasm}
// at fixed URLs), served by a host that sends no validators and by one that
// sends an ETag and nothing else (an app server, a hand-written handler).
// Across processes and workers: tests/unit/freshness/oneDownloadPerRun.spec.ts
// and tests/browser/fixture/oneDownloadPerRun.spec.ts.

const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;

function originOf(site: Site) {
  return Object.fromEntries(BUNDLES.map(path => [path, { ...site.responses(path) }]));
}

function bodyBytes(site: Site): number {
  return BUNDLES.reduce((sum, path) => sum + site.bytesSent(path), 0);
}

for (const { name, validators } of [{ name: 'no validators', validators: false }, { name: 'an ETag only', validators: true }]) {
  test.describe(`as a host that sends ${name}, self-hosted and unversioned`, () => {
    test.use({ siteOptions: { layout: 'flutter', profile: 'no-validators', localCanvasKit: true } });

    test('should download each bundle once in a run, and nothing more for a second context of the same cache', async ({ browser, site, openCache }) => {
      if (validators) {
        for (const path of BUNDLES)
          site.setHeaders(path, { etag: `"${site.sha256(path).slice(0, 16)}"` });
      }
      const cache = await openCache({ now: Date.now });
      const problems: BundleCacheError[] = [];
      cache.on('problem', error => problems.push(error));
      const first = await visit(browser, cache, site);
      expect(first.report.error).toBeNull();
      expect(originOf(site)).toEqual(Object.fromEntries(BUNDLES.map(path => [path, { 200: 1 }])));
      const afterFirst = bodyBytes(site);
      const second = await visit(browser, cache, site);
      expect(second.report.error).toBeNull();
      expect(originOf(site), 'the second context asks the origin nothing').toEqual(Object.fromEntries(BUNDLES.map(path => [path, { 200: 1 }])));
      expect(bodyBytes(site)).toBe(afterFirst);
      if (!validators) {
        expect(problems.map(problem => [problem.code, problem.details.url]).sort()).toEqual(BUNDLES.map(path => ['ERR_NO_VALIDATORS', site.origin + path]).sort());
        expect(problems[0]!.message).toContain("Fix: serve it with an ETag or Last-Modified, version its URL, or set revalidate: 'never'");
      } else {
        expect(problems).toEqual([]);
      }
      expect(cache.stats()).toMatchObject({ errors: 0, misses: BUNDLES.length, withoutValidators: validators ? 0 : BUNDLES.length });
    });
  });
}
