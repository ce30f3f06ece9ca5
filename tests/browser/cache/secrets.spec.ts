import { test, expect } from './fixtures.js';
import { filesContaining, listFiles } from '../../helpers/tempDir.js';

// Credentials a browser context adds (extra headers, its cookie jar, a
// user's own route) never reach the disk. Responses that may not be stored
// and credentials in URLs: tests/unit/guarantees/secrets.spec.ts.

test('should never write request credentials to disk', async ({ browser, site, openCache, cacheDir }) => {
  const cache = await openCache();
  const context = await browser.newContext({ extraHTTPHeaders: { authorization: 'Bearer CANARY-AUTHORIZATION' } });
  await context.addCookies([{ name: 'session', value: 'CANARY-COOKIE', url: site.origin }]);
  await cache.attach(context);
  // Chromium refuses Proxy-Authorization as an extra header; a user's own route can still add it.
  await context.route('**/*', route => route.fallback({ headers: { ...route.request().headers(), 'proxy-authorization': 'Basic CANARY-PROXY' } }));
  const page = await context.newPage();
  await page.goto(site.pageUrl);
  await page.waitForFunction(() => window.__site?.ready || window.__site?.error);
  await context.close();
  await cache.close();

  // The canaries did reach the origin, so their absence on disk means something.
  const mainRequest = site.requests.find(request => request.pathname === '/main.dart.js')!;
  expect(mainRequest.headers.authorization).toBe('Bearer CANARY-AUTHORIZATION');
  expect(mainRequest.headers.cookie).toContain('CANARY-COOKIE');
  expect(mainRequest.headers['proxy-authorization']).toBe('Basic CANARY-PROXY');
  expect((await listFiles(cacheDir)).filter(file => file.endsWith('.meta.json'))).toHaveLength(3);
  for (const canary of ['CANARY-AUTHORIZATION', 'CANARY-PROXY', 'CANARY-COOKIE'])
    expect(await filesContaining(cacheDir, canary), canary).toEqual([]);
});
