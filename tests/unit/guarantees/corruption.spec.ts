import { test, expect } from '@playwright/test';
import { corruption, warmApp } from '../../../scripts/stress/scenarios/corruption.js';
import { startSite } from '../../../tests/site/server.js';

// Promise 5 for the caller; tests/browser/guarantees/corruption.spec.ts for the page.
test('should treat every kind of damage as a counted miss and refetch, and rebuild a lost index', async () => {
  test.setTimeout(120_000);
  const site = await startSite();
  try {
    const outcome = await corruption({ site, load: warmApp, via: 'warm()', rounds: 1 });
    expect(outcome.failures).toEqual([]);
  } finally {
    await site.close();
  }
});
