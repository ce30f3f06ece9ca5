import { test, expect } from '@playwright/test';
import { blockedLoop } from '../../../scripts/stress/scenarios/blockedLoop.js';

// Promise 6: all block points at once, 2 s stale time (so each holder freezes 4 s).
test('should abandon a frozen lock holder\'s write and leave the new holder\'s entry whole', async () => {
  test.setTimeout(120_000);
  const outcome = await blockedLoop({ staleMs: 2000, rounds: 1 });
  expect(outcome.failures).toEqual([]);
});
