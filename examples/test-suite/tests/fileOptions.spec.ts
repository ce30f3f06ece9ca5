import { test, expect } from 'playwright-bundle-cache/test';
import { openApp } from '../app.js';
import { cacheDir } from '../settings.js';

// File-level options replace the config's. In this file `bundleCache` is
// these options as given (Playwright's rule for test.use), so the test asks
// for `bundleCacheInstance`, the opened cache under every setup.
test.use({ bundleCache: { dir: cacheDir, maxAge: '7d', memory: { maxBytes: '64MB' } } });

test('should cache with the options of this file', async ({ page, bundleCacheInstance }) => {
  await openApp(page);
  expect(bundleCacheInstance.dir).toBe(cacheDir);
  expect(bundleCacheInstance.stats().errors).toBe(0);
});
