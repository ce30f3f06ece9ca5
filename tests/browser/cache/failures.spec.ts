import fs from 'node:fs/promises';
import path from 'node:path';
import { test, expect, visit, expectWorkingApp, bundleHits } from './fixtures.js';
import { LockManager } from '../../../src/disk/locks.js';
import { entryPaths } from '../../../src/keys/entryPaths.js';
import type { BundleCacheError } from '../../../src/index.js';
import { listFiles } from '../../helpers/tempDir.js';
import { faultyFs } from '../../helpers/faultyFs.js';

test('should fail an offline miss cleanly, without touching the network', async ({ browser, site, openCache }) => {
  const cache = await openCache({ mode: 'offline' });
  const problems: BundleCacheError[] = [];
  cache.on('problem', error => problems.push(error));
  const report = await visit(browser, cache, site.pageUrl);
  expect(report.error).not.toBeNull();
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 });
  expect(problems.map(problem => problem.code)).toContain('ERR_OFFLINE_MISS');
  expect(problems[0]!.message).toContain(`${site.origin}/`);
  expect(problems[0]!.message).toContain('warm');
});

test('should serve a warmed cache offline', async ({ browser, site, openCache }) => {
  const warm = await openCache();
  await visit(browser, warm, site.pageUrl);
  await warm.close();
  site.resetCounters();
  const offline = await openCache({ mode: 'offline' });
  expectWorkingApp(await visit(browser, offline, site.pageUrl), site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 });
  expect(offline.stats()).toMatchObject({ diskHits: 3, errors: 0 });
});

test('should detect a corrupt body, refetch it and heal the entry', async ({ browser, site, openCache, cacheDir }) => {
  const first = await openCache();
  await visit(browser, first, site.pageUrl);
  await first.close();
  const wasm = entryPaths(cacheDir, `GET ${site.origin}/canvaskit/canvaskit.wasm`, `${site.origin}/canvaskit/canvaskit.wasm`);
  const body = await fs.readFile(wasm.body);
  body.writeUInt8(body.readUInt8(body.length >> 1) ^ 0xff, body.length >> 1);
  await fs.writeFile(wasm.body, body);

  const second = await openCache();
  expectWorkingApp(await visit(browser, second, site.pageUrl + '?hash=1'), site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 1, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 2 });
  expect(second.stats()).toMatchObject({ errors: 1, misses: 1, diskHits: 2 });
  await second.close();
  expect((await fs.readFile(wasm.body)).equals(site.body('/canvaskit/canvaskit.wasm'))).toBe(true);
});

test('should pass an origin error through to the page without storing it', async ({ browser, site, openCache, cacheDir }) => {
  site.fail('/main.dart.js', { status: 503 }, 1);
  const cache = await openCache();
  const report = await visit(browser, cache, site.pageUrl);
  expect(report.error).not.toBeNull();
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(site.hits('/main.dart.js')).toBe(2);
  expect((await listFiles(cacheDir)).filter(file => file.includes('main.dart.js'))).toHaveLength(2);
});

test('should serve from the network when the disk is full, and store nothing', async ({ browser, site, openCache, cacheDir }) => {
  const cache = await openCache({}, { fs: faultyFs('writeFileAtomic', 'ENOSPC', file => file.includes('/v1/')) });
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(cache.stats()).toMatchObject({ misses: 6, errors: 6 });
  expect((await listFiles(cacheDir)).filter(file => file.startsWith('v1'))).toEqual([]);
});

test('should fetch without storing when another process holds the lock too long', async ({ browser, site, openCache, cacheDir }) => {
  const url = `${site.origin}/main.dart.js?v=1`;
  const paths = entryPaths(cacheDir, `GET ${url}`, url);
  await fs.mkdir(path.dirname(paths.base), { recursive: true });
  const other = new LockManager();
  const held = await other.acquire(paths.base, 0);
  try {
    const cache = await openCache({}, { keyLockTimeoutMs: 200 });
    const problems: string[] = [];
    cache.on('problem', error => problems.push(error.code));
    expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
    expect(problems).toEqual(['ERR_LOCK_TIMEOUT']);
    expect(cache.stats()).toMatchObject({ misses: 3, errors: 1 });
  } finally {
    await held.release();
  }
  expect(await fs.stat(paths.meta).catch(() => undefined)).toBeUndefined();
});

test('should not count a context closed mid-request as an error', async ({ browser, site, openCache }) => {
  site.fail('/canvaskit/canvaskit.wasm', 'hang', 1);
  const cache = await openCache();
  const context = await browser.newContext();
  await cache.attach(context);
  const page = await context.newPage();
  await page.goto(site.pageUrl);
  // Closed once the cache's fetch is at the origin (the browser's request alone
  // may not have reached the route handler yet, leaving the hang for the next visit).
  await expect.poll(() => site.hits('/canvaskit/canvaskit.wasm')).toBe(1);
  await context.close();
  expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
  expect(cache.stats().errors).toBe(0);
});
