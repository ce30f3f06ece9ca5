import { test, expect } from '../cache/fixtures.js';
import { corruption } from '../../../scripts/stress/scenarios/corruption.js';
import { pageLoader } from '../../../scripts/stress/scenarios/pageLoader.js';

// Promise 5 seen by the page, for four kinds of damage (`npm run stress` makes them all);
// tests/unit/guarantees/corruption.spec.ts goes through every kind with warm().
const FOUR = ['a flipped byte in the body', 'a deleted meta.json', 'meta.json from format version 2', 'a garbage cache_versions.json'];

test('should load the app after damage to an entry or the index, refetching the damaged bundle once', async ({ browser, site }) => {
  test.setTimeout(300_000);
  const outcome = await corruption({ site, load: pageLoader(browser), via: 'a page', rounds: 1, damages: FOUR });
  expect(outcome.failures).toEqual([]);
});
