import { mergeTests, test as base } from '@playwright/test';
import { bundleCacheTest } from 'playwright-bundle-cache/test';   // the same object as `test`

const appTest = base.extend<{ user: string }>({ user: 'alice' });    // your own fixtures

export const test = mergeTests(appTest, bundleCacheTest);
