import type { Page } from '@playwright/test';
import { MAIN, SECOND, expect, expectBuild, test, visit } from './fixtures.js';

// The headers a page's own script sends reach the cache's decision. What a
// request asking for a fresh copy does (context headers, versioned entries,
// 'never', offline, refresh) and how copies are judged across tiers over
// time: tests/unit/warm/requests.spec.ts.

/** Fetches main.dart.js from the page's own script with `headers`; resolves with the body's length. */
function fetchMain(page: Page, headers: Record<string, string>): Promise<number> {
  return page.evaluate(async headers => (await (await fetch('/main.dart.js', { headers })).arrayBuffer()).byteLength, headers);
}

test.describe("a request that asks for a fresh copy, as firebase (fresh for an hour), revalidate 'http'", () => {
  test.use({ siteOptions: { layout: 'flutter', profile: 'firebase' } });

  test("should be revalidated when the page's script sends Cache-Control: no-cache or Pragma: no-cache, and not otherwise", async ({ browser, site, clock, openCache }) => {
    const cache = await openCache({ revalidate: 'http' });
    expectBuild((await visit(browser, cache, site)).report, 1);
    clock.advance(SECOND);
    const lengths: number[] = [];
    const seen = await visit(browser, cache, site, {
      after: async page => {
        for (const headers of [{}, { 'cache-control': 'no-cache' }, { pragma: 'no-cache' }] as Array<Record<string, string>>) {
          // A check made after a request arrived answers it too: each fetch comes a second later.
          clock.advance(SECOND);
          lengths.push(await fetchMain(page, headers));
        }
      },
    });
    expectBuild(seen.report, 1);
    expect(lengths).toEqual([1, 2, 3].map(() => site.body(MAIN).length));
    const mains = seen.served.filter(event => new URL(event.url).pathname === MAIN);
    expect(mains.map(event => [event.source, event.revalidated])).toEqual([['memory', false], ['memory', false], ['disk', true], ['disk', true]]);
    expect(seen.mainResponses).toEqual({ 304: 2 });
    expect(seen.mainBytes).toBe(0);
  });
});
