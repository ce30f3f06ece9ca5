import { test, expect } from '@playwright/test';
import { faultMatrix } from '../../../scripts/stress/scenarios/faults.js';

// Promise 4 for the caller; tests/browser/guarantees/faults.spec.ts for the page.
// Here the errnos take turns over the steps; `npm run stress` injects every one at every step.
test('should keep the previous entry and leave no temp file when any step of a store fails', async () => {
  test.setTimeout(180_000);
  const outcome = await faultMatrix({ every: false });
  expect(outcome.failures).toEqual([]);
  expect(outcome.iterations).toBeGreaterThan(40);
});
