// playwright.config.ts
import { defineConfig } from '@playwright/test';
import type { BrowserContext } from 'playwright';
import type { BundleCacheTestOptions, BundleCacheWorkerOptions } from 'playwright-bundle-cache/test';

async function logIn(context: BrowserContext, user: string): Promise<void> {   // yours: any steps that earn the state
  const page = await context.newPage();
  await page.goto('https://app.example.com/login');
  await page.fill('#user', user);
  await page.fill('#password', process.env[`${user.toUpperCase()}_PASSWORD`] ?? '');
  await page.click('button[type=submit]');
  await page.waitForURL('**/dashboard');
}

export default defineConfig<BundleCacheTestOptions, BundleCacheWorkerOptions>({
  retries: 1,                                   // a rejected test runs again with a fresh session
  reporter: [['list'], ['playwright-bundle-cache/reporter']],
  use: {
    bundleCache: {
      dir: '.cache/bundles',
      sessions: {
        alice: { warm: context => logIn(context, 'alice'), ttl: '1h' },
        bob: { warm: context => logIn(context, 'bob') },
      },
    },
  },
});
