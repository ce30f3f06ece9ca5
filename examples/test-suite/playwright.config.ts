import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from 'playwright-bundle-cache';
import type { BundleCacheWorkerOptions } from 'playwright-bundle-cache/test';
import { cacheDir, siteOrigin } from './settings.js';

// In your project this is just 'playwright-bundle-cache/reporter'; this
// example runs from the repository's source, so it names the file.
const bundleCacheReporter = fileURLToPath(new URL('../../src/test/reporter.ts', import.meta.url));

export default defineConfig<{}, BundleCacheWorkerOptions>({
  testDir: './tests',
  workers: 4,
  fullyParallel: true,
  reporter: [
    ['list'],
    // Each test's bundle-cache numbers are an attachment, shown in the HTML report and kept in the JSON one.
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
    ['json', { outputFile: 'test-results/results.json' }],
    // One line at the end: requests, hit rate, bytes from the cache and from the origin, over all workers.
    [bundleCacheReporter],
  ],
  use: {
    baseURL: siteOrigin,
    launchOptions: chromiumLaunchOptions(),
    // Every worker opens this cache; they share the disk tier.
    bundleCache: { dir: cacheDir, maxAge: '7d' },
  },
});
