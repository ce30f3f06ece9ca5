import { test as base } from '@playwright/test';
import { openApp, type AppState } from './app.js';

/** The suite's own `test`, written before it adopted the cache: `app` is the opened app. */
export const appTest = base.extend<{ app: AppState }>({
  app: async ({ page }, use) => {
    await use(await openApp(page));
  },
});
