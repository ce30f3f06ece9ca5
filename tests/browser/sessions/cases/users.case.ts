import { test, expect } from '../../../../src/test/index.js';
import { viewApp } from '../../../site/login/browse.js';

test.describe('as users', () => {
  for (const user of ['alice', 'bob']) {
    test.describe(user, () => {
      test.use({ bundleCacheSession: user });

      for (let i = 1; i <= 4; i++) {
        test(`should show the app of ${user} (${i})`, async ({ page, baseURL }) => {
          expect(await viewApp(page, baseURL!)).toEqual({ title: 'app ready', user, api: user });
        });
      }
    });
  }
});

test('should start without a session when none is asked for', async ({ page, baseURL }) => {
  expect((await viewApp(page, baseURL!)).title).toBe('login');
});
