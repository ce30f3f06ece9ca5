// playwright.config.ts
import { defineConfig } from '@playwright/test';
import type { BundleCacheWorkerOptions } from 'playwright-bundle-cache/test';

export default defineConfig<{}, BundleCacheWorkerOptions>({
  use: { bundleCache: { remote: process.env.BUNDLE_CACHE_REMOTE } },   // or just set the variable
});
