import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from 'playwright-bundle-cache';
import type { BundleCacheWorkerOptions } from 'playwright-bundle-cache/test';

// The smoke suite of the oldest Playwright the peer range claims, run by
// scripts/peerSmoke.ts beside the packed tarball (not by `npm test`).
export default defineConfig<{}, BundleCacheWorkerOptions>({
  testDir: '.',
  globalSetup: './globalSetup.ts',
  workers: 2,
  fullyParallel: true,
  timeout: 60_000,
  use: {
    // The package finds the browser: Playwright's own build if installed, else a system Chromium.
    launchOptions: chromiumLaunchOptions(),
  },
});
