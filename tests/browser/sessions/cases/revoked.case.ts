import { test, expect } from '../../../../src/test/index.js';
import { viewApp } from '../../../site/login/browse.js';

test.use({ bundleCacheSession: 'carol' });

test('should get a fresh session on the retry after the site revoked it', async ({ page, baseURL, request }, testInfo) => {
  if (testInfo.retry === 0)
    expect((await request.post(`${baseURL}/admin/revoke?user=carol`)).status()).toBe(204);
  const view = await viewApp(page, baseURL!);
  expect(view.user).toBe('carol');
  if (testInfo.retry === 0)
    expect(view.api).toBe('error 452');
  else
    expect(view.api).toBe('carol');
});
