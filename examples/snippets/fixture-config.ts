// playwright.config.ts
import { defineConfig } from '@playwright/test';
import type { BundleCacheWorkerOptions } from 'playwright-bundle-cache/test';

export default defineConfig<{}, BundleCacheWorkerOptions>({
  reporter: [['list'], ['html'], ['playwright-bundle-cache/reporter']],
  use: {
    bundleCache: { dir: '.cache/bundles', maxAge: '7d' },
    // bundleCacheContexts: 'all',
  },
});
