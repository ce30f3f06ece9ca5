import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './src/browser/findChromium.js';

// Unit tests never launch a browser, so a machine without Chromium can still
// run them; the browser project fails with the one-line install hint instead.
function launchOptions() {
  try {
    return chromiumLaunchOptions();
  } catch {
    return {};
  }
}

export default defineConfig({
  reporter: process.env.CI ? [['list'], ['json', { outputFile: 'test-results/results.json' }]] : 'list',
  timeout: 60_000,
  workers: 2,
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  projects: [
    {
      name: 'unit',
      testDir: './tests/unit',
    },
    {
      name: 'browser',
      testDir: './tests/browser',
      timeout: 120_000,
      use: {
        browserName: 'chromium',
        launchOptions: launchOptions(),
      },
    },
  ],
});
