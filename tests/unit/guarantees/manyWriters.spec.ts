import { test, expect } from '@playwright/test';
import { manyWriters } from '../../../scripts/stress/scenarios/manyWriters.js';

// Promise 1. `npm run stress` runs 200 + 200 writes per process.
test('should keep every entry whole and the index exact when 8 processes write one key and 50 keys at once', async () => {
  test.setTimeout(240_000);
  const outcome = await manyWriters({ processes: 8, oneKey: 12, spread: 12, keys: 50 });
  expect(outcome.failures).toEqual([]);
  expect(outcome.iterations).toBe(8 * 24);
});
