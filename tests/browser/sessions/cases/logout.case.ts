import { test, expect } from '../../../../src/test/index.js';
import { viewApp } from '../../../site/login/browse.js';

test.describe.configure({ mode: 'serial' });
test.use({ bundleCacheSession: 'dave' });

test('should log out', async ({ page, baseURL }) => {
  expect((await viewApp(page, baseURL!)).user).toBe('dave');
  await page.evaluate(() => fetch('/logout', { method: 'POST' }));
  expect((await viewApp(page, baseURL!)).title).toBe('login');
});

test('should still be logged in in the next test', async ({ page, baseURL }) => {
  expect(await viewApp(page, baseURL!)).toEqual({ title: 'app ready', user: 'dave', api: 'dave' });
});
