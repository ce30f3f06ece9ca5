import { test, expect } from '@playwright/test';
import { oneFetch } from '../../../scripts/stress/scenarios/oneFetch.js';

// Promise 2 without browsers; `npm run stress` also loads the app in a Chromium per process.
test('should fetch each cold bundle once when 8 processes ask for it at the same moment', async () => {
  test.setTimeout(180_000);
  const outcome = await oneFetch({ processes: 8, rounds: 1, via: 'warm' });
  expect(outcome.failures).toEqual([]);
});
