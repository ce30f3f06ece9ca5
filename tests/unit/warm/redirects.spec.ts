import { MAIN, buildOf, expect, test, warmOnce } from './fixtures.js';

// main.dart.js behind a same-origin 302 to its hashed URL, followed by the
// cache. That a page runs what the cache fetched through a redirect, and the
// `served` event names the target, is shown in Chromium: tests/browser/cache/redirects.spec.ts.

test.use({ siteOptions: { layout: 'flutter' } });

test('should follow the redirect in warm(), store the target and report it', async ({ site, openRun }) => {
  site.redirect(MAIN, 'versioned');
  const run = await openRun();
  const warmed = await warmOnce(run, site.origin + MAIN);
  expect(warmed.result).toMatchObject({ url: site.origin + MAIN, outcome: 'stored', redirectedTo: site.origin + site.versionedPath(MAIN) });
  expect(buildOf(site, warmed.body)).toBe(1);
});

test('should follow the redirect to the new hashed URL after a deploy, never answering with the old build', async ({ site, openRun }) => {
  site.redirect(MAIN, 'versioned');
  const run = await openRun();
  const first = await warmOnce(run, site.origin + MAIN);
  expect(buildOf(site, first.body)).toBe(1);
  site.deploy();
  const after = await warmOnce(run, site.origin + MAIN);
  expect(after.result).toMatchObject({ outcome: 'stored', redirectedTo: site.origin + site.versionedPath(MAIN) });
  expect(buildOf(site, after.body)).toBe(2);
  expect(site.responses(site.versionedPath(MAIN))).toEqual({ 200: 1 });
  expect(site.responses(MAIN)).toEqual({ 302: 2 });
});
