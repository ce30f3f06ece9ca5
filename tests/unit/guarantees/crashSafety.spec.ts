import { test, expect } from '@playwright/test';
import { crashSafety } from '../../../scripts/stress/scenarios/crashSafety.js';

// Promise 3, 20 kills with the shortest stale time proper-lockfile allows (2 s), one real wait for a
// dead writer's lock; `npm run stress` runs 200 kills and proves the default 10 s.
test('should read old, new or miss, never wrong bytes, after a writer is SIGKILLed anywhere in a write', async () => {
  test.setTimeout(300_000);
  const outcome = await crashSafety({ iterations: 20, staleMs: 2000, realWaits: new Set([5]) });
  expect(outcome.failures).toEqual([]);
  expect(outcome.figures['longest wait for a dead writer\'s lock (ms)']).toBeGreaterThan(0);
});
