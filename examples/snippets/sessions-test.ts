// tests/orders.spec.ts
import { test, expect } from 'playwright-bundle-cache/test';

test.describe('as alice', () => {
  test.use({ bundleCacheSession: 'alice' });

  test('should list her orders', async ({ page }) => {
    await page.goto('/orders');                   // logged in: the built-in context started with alice's state
    await expect(page.getByText('alice')).toBeVisible();
  });
});
