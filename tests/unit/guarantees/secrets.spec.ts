import { test, expect } from '@playwright/test';
import { secrets } from '../../../scripts/stress/scenarios/secrets.js';

// Promise 8 through warm(); tests/browser/cache/secrets.spec.ts adds the credentials a browser context sends.
test('should write no secret and no unstorable response to disk', async () => {
  const outcome = await secrets({ rounds: 1 });
  expect(outcome.failures).toEqual([]);
});
