import { test as base } from '@playwright/test';
import { bundleCacheFixtures, expect, type BundleCacheTestFixtures, type BundleCacheWorkerFixtures } from 'playwright-bundle-cache/test';
import { openApp, type AppState } from '../app.js';

// Or spreads the cache's fixtures into its own test.extend.
const test = base.extend<{ app: AppState } & BundleCacheTestFixtures, BundleCacheWorkerFixtures>({
  ...bundleCacheFixtures,
  app: async ({ page }, use) => {
    await use(await openApp(page));
  },
});

test('should work spread into the suite\'s own test.extend', async ({ app, bundleCacheInstance }) => {
  expect(app.ready).toBe(true);
  expect(bundleCacheInstance.stats().requests).toBeGreaterThan(0);
});
