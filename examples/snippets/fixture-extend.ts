import { test as base } from '@playwright/test';
import { bundleCacheFixtures, type BundleCacheTestFixtures, type BundleCacheWorkerFixtures } from 'playwright-bundle-cache/test';

type MyFixtures = { myFixture: string };

export const test = base.extend<MyFixtures & BundleCacheTestFixtures, BundleCacheWorkerFixtures>({
  ...bundleCacheFixtures,
  myFixture: async ({ page }, use) => { await use(page.url()); },
});
