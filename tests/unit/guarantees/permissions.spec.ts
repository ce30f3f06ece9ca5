import { test, expect } from '@playwright/test';
import { permissions } from '../../../scripts/stress/scenarios/permissions.js';

// Promise 9.
test('should make 0700 dirs and 0600 files under umask 000, and follow no planted link', async () => {
  const outcome = await permissions({ rounds: 1 });
  expect(outcome.failures).toEqual([]);
});
