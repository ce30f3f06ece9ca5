import { test, expect } from '../../../../src/test/index.js';

test.use({ bundleCacheSession: 'zoe' });
// It fails the same way every time: a retry would only cost another worker.
test.describe.configure({ retries: 0 });

test('should fail with the name and the fix when the session is not declared', async ({ page }) => {
  expect(page).toBeTruthy();
});
