import { test, expect } from '../cache/fixtures.js';
import { PAGE_FAULTS, pageFaults } from '../../../scripts/stress/scenarios/pageFaults.js';

// Promise 4 seen by the page, for two faults: a body written short, and a full disk as meta.json would appear
// (`npm run stress` makes them all); tests/unit/guarantees/faults.spec.ts goes through every step of a store.
const TWO = PAGE_FAULTS.filter(([step, kind]) => (step.role === 'body-temp' && kind === 'short') || step.role === 'meta-temp');

test('should load the app and keep every bundle\'s entry when a store fails mid-write', async ({ browser, site }) => {
  test.setTimeout(300_000);
  expect(TWO).toHaveLength(2);
  const outcome = await pageFaults({ browser, site, rounds: 1, faults: TWO });
  expect(outcome.failures).toEqual([]);
});
