import { test, expect } from '../cache/fixtures.js';
import { PAGE_FAULTS, pageFaults } from '../../../scripts/stress/scenarios/pageFaults.js';

// Promise 4 seen by the page, for one fault in two (`npm run stress` makes them all);
// tests/unit/guarantees/faults.spec.ts goes through every step of a store.
test('should load the app and keep every bundle\'s entry when a store fails at any step', async ({ browser, site }) => {
  test.setTimeout(300_000);
  const outcome = await pageFaults({ browser, site, rounds: 1, faults: PAGE_FAULTS.filter((_, i) => i % 2 === 0) });
  expect(outcome.failures).toEqual([]);
});
