import { test, expect } from '../../../../src/test/index.js';

test.use({ bundleCacheSession: 'zoe' });

test('should fail with the name and the fix when the session is not declared', async ({ page }) => {
  expect(page).toBeTruthy();
});
