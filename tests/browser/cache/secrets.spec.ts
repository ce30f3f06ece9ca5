import fs from 'node:fs/promises';
import path from 'node:path';
import { test, expect, visit, expectWorkingApp } from './fixtures.js';
import { listFiles } from '../../helpers/tempDir.js';

async function grepDir(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of await listFiles(dir)) {
    if ((await fs.readFile(path.join(dir, file))).includes(needle))
      found.push(file);
  }
  return found;
}

test('should write nothing for no-store, private and Set-Cookie responses', async ({ browser, site, openCache, cacheDir }) => {
  site.setHeaders('/main.dart.js', { 'cache-control': 'no-store' });
  site.setHeaders('/canvaskit/canvaskit.js', { 'cache-control': 'private, max-age=60' });
  site.setHeaders('/canvaskit/canvaskit.wasm', { 'set-cookie': 'session=SECRET-SESSION; HttpOnly' });
  const cache = await openCache();
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  await cache.close();
  expect(site.hits('/main.dart.js')).toBe(2);
  expect(site.hits('/canvaskit/canvaskit.wasm')).toBe(2);
  expect((await listFiles(cacheDir)).filter(file => file.startsWith('v1'))).toEqual([]);
  expect(await grepDir(cacheDir, 'SECRET-SESSION')).toEqual([]);
});

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
    expect(await grepDir(cacheDir, canary), canary).toEqual([]);
});

test('should drop user:password from URLs before they become keys', async ({ site, openCache, cacheDir }) => {
  const cache = await openCache();
  await cache.warm(site.origin.replace('://', '://CANARY-URLUSER:CANARY-URLPASS@') + '/main.dart.js?v=1');
  await cache.close();
  expect((await listFiles(cacheDir)).filter(file => file.endsWith('.meta.json'))).toHaveLength(1);
  expect(await grepDir(cacheDir, 'CANARY-URL')).toEqual([]);
});

test('should keep variants apart by a Vary header without writing its value', async ({ browser, site, openCache, cacheDir }) => {
  site.setHeaders('/main.dart.js', { 'vary': 'X-Api-Key' });
  const cache = await openCache();
  const withKey = (key: string) => ({ extraHTTPHeaders: { 'x-api-key': key } });
  expectWorkingApp(await visit(browser, cache, site.pageUrl, withKey('CANARY-KEY-ONE')), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl, withKey('CANARY-KEY-ONE')), site);
  expect(site.hits('/main.dart.js')).toBe(1);
  expectWorkingApp(await visit(browser, cache, site.pageUrl, withKey('CANARY-KEY-TWO')), site);
  expect(site.hits('/main.dart.js')).toBe(2);
  await cache.close();
  expect(await grepDir(cacheDir, 'CANARY-KEY')).toEqual([]);
});
