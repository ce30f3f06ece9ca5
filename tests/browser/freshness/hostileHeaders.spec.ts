import { MAIN, expect, expectBuild, storedEntries, test, visit } from './fixtures.js';

// A validator so big that route.fetch refuses the response's head: the
// route falls back and the browser fetches it itself. Headers the fetch
// accepts but no real host sends (an 8 KB ETag, an invalid Last-Modified,
// odd max-ages, repeated Cache-Control lines): tests/unit/warm/hostileHeaders.spec.ts.

const HUGE_ETAG = `"${'x'.repeat(100 * 1024)}"`;

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
