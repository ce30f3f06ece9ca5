// playwright.config.ts
import { defineConfig } from '@playwright/test';
import type { BundleCacheTestOptions, BundleCacheWorkerOptions } from 'playwright-bundle-cache/test';

export default defineConfig<BundleCacheTestOptions, BundleCacheWorkerOptions>({
  use: {
    bundleCacheVia: 'proxy',                           // each worker's browser through its own proxy; no route
    bundleCache: { dir: '.cache/bundles' },
  },
});
