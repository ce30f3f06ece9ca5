import { mergeTests } from '@playwright/test';
import { test as bundleCacheTest, expect } from 'playwright-bundle-cache/test';
import { appTest } from '../fixtures.js';

// A suite with its own `test` merges the cache's in.
const test = mergeTests(appTest, bundleCacheTest);

test('should give the suite\'s own fixtures a cached page', async ({ app }) => {
  expect(app.ready).toBe(true);
});
