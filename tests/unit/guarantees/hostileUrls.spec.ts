import { test, expect } from '@playwright/test';
import { hostileUrls } from '../../../scripts/stress/scenarios/hostileUrls.js';

// Promise 7 through the engine; tests/unit/keys/entryPaths.spec.ts checks the path function alone.
test('should store hostile URLs under the root, with short names, as distinct entries', async () => {
  const outcome = await hostileUrls({ rounds: 1 });
  expect(outcome.failures).toEqual([]);
});
