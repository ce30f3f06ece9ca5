// tests/app.spec.ts
import { test, expect } from 'playwright-bundle-cache/test';    // was: from '@playwright/test'

test.use({ bundleCache: { dir: '.cache/bundles', maxAge: '7d' } });   // optional

test('loads', async ({ page, bundleCacheInstance }) => {
  await page.goto('/');                                        // main.dart.js, canvaskit.wasm: from the cache
  expect(bundleCacheInstance.stats().errors).toBe(0);
});
