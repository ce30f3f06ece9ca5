import { test, expect } from 'playwright-bundle-cache/test';
import { openApp } from '../app.js';

// Contexts the test makes itself get the cache too.
test.use({ bundleCacheContexts: 'all' });

test('should serve a context made with browser.newContext()', async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 800, height: 600 } });
  const app = await openApp(await context.newPage());
  expect(app.ready).toBe(true);
  await context.close();
});

test('should serve two users side by side', async ({ browser, baseURL }) => {
  const alice = await browser.newContext({ baseURL });
  const bob = await browser.newContext({ baseURL });
  const apps = await Promise.all([openApp(await alice.newPage()), openApp(await bob.newPage())]);
  expect(apps.map(app => app.ready)).toEqual([true, true]);
  await Promise.all([alice.close(), bob.close()]);
});
