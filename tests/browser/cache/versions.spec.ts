import fs from 'node:fs/promises';
import path from 'node:path';
import { test, expect, visit, expectWorkingApp, bundleHits } from './fixtures.js';
import { listFiles } from '../../helpers/tempDir.js';

async function readIndex(dir: string) {
  return JSON.parse(await fs.readFile(path.join(dir, 'cache_versions.json'), 'utf8'));
}

test('should fetch a new version once, record its history and remove the old entry', async ({ browser, site, openCache, cacheDir }) => {
  const cache = await openCache();
  await visit(browser, cache, site.pageUrl);
  const v1Files = (await listFiles(cacheDir)).filter(file => file.includes('main.dart.js'));
  expect(v1Files).toHaveLength(2);

  site.setVersion(2);
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site, 2);
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site, 2);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 2, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
  await cache.close();

  const files = await listFiles(cacheDir);
  for (const file of v1Files)
    expect(files).not.toContain(file);
  expect(files.filter(file => file.includes('main.dart.js'))).toHaveLength(2);

  const index = await readIndex(cacheDir);
  const resource = index.resources[`${site.origin}/main.dart.js`];
  expect(resource).toMatchObject({ version: '2', url: `${site.origin}/main.dart.js?v=2`, multiVersion: false });
  expect(resource.history).toEqual([expect.objectContaining({ version: '1', url: `${site.origin}/main.dart.js?v=1` })]);
  expect(Object.keys(index.entries).sort()).toEqual([
    `GET ${site.origin}/canvaskit/canvaskit.js`,
    `GET ${site.origin}/canvaskit/canvaskit.wasm`,
    `GET ${site.origin}/main.dart.js?v=2`,
  ]);
});

test('should refetch an expired entry, from memory as well as from disk', async ({ browser, site, openCache }) => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  // Memory would keep entries for 2 h, but never past their disk freshness (1 h).
  const cache = await openCache({ maxAge: '1h', memory: { ttl: '2h' }, now: () => now });
  await visit(browser, cache, site.pageUrl);
  now += 30 * 60_000;
  await visit(browser, cache, site.pageUrl);
  expect(cache.stats()).toMatchObject({ misses: 3, memoryHits: 3 });

  now += 31 * 60_000;
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 2, '/canvaskit/canvaskit.js': 2, '/canvaskit/canvaskit.wasm': 2 });
  expect(cache.stats()).toMatchObject({ misses: 6, diskHits: 0, errors: 0 });
});

test('should fall back from an expired memory entry to a fresh disk entry', async ({ browser, site, openCache }) => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const cache = await openCache({ maxAge: '1h', memory: { ttl: '1m' }, now: () => now });
  await visit(browser, cache, site.pageUrl);
  now += 2 * 60_000;
  await visit(browser, cache, site.pageUrl);
  expect(cache.stats()).toMatchObject({ misses: 3, diskHits: 3, memoryHits: 0 });
  expect(site.hits('/main.dart.js')).toBe(1);
});

test('should let a per-rule maxAge override the default', async ({ browser, site, openCache }) => {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const cache = await openCache({ maxAge: '1d', rules: [{ match: '**/main.dart.js', maxAge: '10m' }, '**/canvaskit.*'], now: () => now });
  await visit(browser, cache, site.pageUrl);
  now += 11 * 60_000;
  await visit(browser, cache, site.pageUrl);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 2, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
});

test('should refetch entries stored before the cache opened in refresh mode, once', async ({ browser, site, openCache }) => {
  const first = await openCache();
  await visit(browser, first, site.pageUrl);
  await first.close();

  const refreshing = await openCache({ mode: 'refresh' });
  await visit(browser, refreshing, site.pageUrl);
  await visit(browser, refreshing, site.pageUrl);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 2, '/canvaskit/canvaskit.js': 2, '/canvaskit/canvaskit.wasm': 2 });
  expect(refreshing.stats()).toMatchObject({ misses: 3, memoryHits: 3, errors: 0 });
});
