import fs from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../../helpers/tempDir.js';
import type { Site } from '../../site/server.js';
import { MAIN, MINUTE, SECOND, buildOf, expect, load, test, type Load } from './fixtures.js';

// Versions superseded, entries expired in memory and on disk, per-rule
// maxAge, refresh mode: the legacy site, whose main.dart.js carries its
// version in the URL (`?v=N`).

test.use({ siteOptions: {} });

const BUNDLES = [MAIN, '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;

function bundleHits(site: Site): Record<string, number> {
  return Object.fromEntries(BUNDLES.map(pathname => [pathname, site.hits(pathname)]));
}

const sources = (seen: Load) => [seen.main.source, seen.canvaskitJs.source, seen.canvaskitWasm.source];

test('should fetch a new version once, record its history and remove the old entry', async ({ site, cacheDir, openRun }) => {
  const run = await openRun();
  await load(run, site);
  const v1Files = (await listFiles(cacheDir)).filter(file => file.includes('main.dart.js'));
  expect(v1Files).toHaveLength(2);

  site.setVersion(2);
  const first = await load(run, site);
  expect(first.main.source).toBe('stored');
  const second = await load(run, site);
  expect(sources(second)).toEqual(['memory', 'memory', 'memory']);
  expect(buildOf(site, second.main.body)).toBe(2);
  expect(bundleHits(site)).toEqual({ [MAIN]: 2, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
  await run.cache.close();

  const files = await listFiles(cacheDir);
  for (const file of v1Files)
    expect(files).not.toContain(file);
  expect(files.filter(file => file.includes('main.dart.js'))).toHaveLength(2);

  const index = JSON.parse(await fs.readFile(path.join(cacheDir, 'cache_versions.json'), 'utf8'));
  const resource = index.resources[`${site.origin}/main.dart.js`];
  expect(resource).toMatchObject({ version: '2', url: `${site.origin}/main.dart.js?v=2`, multiVersion: false });
  expect(resource.history).toEqual([expect.objectContaining({ version: '1', url: `${site.origin}/main.dart.js?v=1` })]);
  expect(Object.keys(index.entries).sort()).toEqual([
    `GET ${site.origin}/canvaskit/canvaskit.js`,
    `GET ${site.origin}/canvaskit/canvaskit.wasm`,
    `GET ${site.origin}/main.dart.js?v=2`,
  ]);
});

test('should refetch an expired entry, from memory as well as from disk', async ({ site, clock, openRun }) => {
  // Memory would keep entries for 2 h, but never past their disk freshness (1 h).
  const run = await openRun({ maxAge: '1h', memory: { ttl: '2h' } });
  await load(run, site);
  clock.advance(30 * MINUTE);
  expect(sources(await load(run, site))).toEqual(['memory', 'memory', 'memory']);

  clock.advance(31 * MINUTE);
  const late = await load(run, site);
  expect(sources(late)).toEqual(['stored', 'stored', 'stored']);
  expect(buildOf(site, late.main.body)).toBe(1);
  expect(bundleHits(site)).toEqual({ [MAIN]: 2, '/canvaskit/canvaskit.js': 2, '/canvaskit/canvaskit.wasm': 2 });
  expect(run.cache.stats().errors).toBe(0);
});

test('should fall back from an expired memory entry to a fresh disk entry', async ({ site, clock, openRun }) => {
  const run = await openRun({ maxAge: '1h', memory: { ttl: '1m' } });
  await load(run, site);
  clock.advance(2 * MINUTE);
  expect(sources(await load(run, site))).toEqual(['stored copy', 'stored copy', 'stored copy']);
  expect(site.hits(MAIN)).toBe(1);
});

test('should let a per-rule maxAge override the default', async ({ site, clock, openRun }) => {
  const run = await openRun({ maxAge: '1d', rules: [{ match: '**/main.dart.js', maxAge: '10m' }, '**/canvaskit.*'] });
  await load(run, site);
  clock.advance(11 * MINUTE);
  expect(sources(await load(run, site))).toEqual(['stored', 'stored copy', 'stored copy']);
  expect(bundleHits(site)).toEqual({ [MAIN]: 2, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
});

test('should refetch entries stored before the cache opened in refresh mode, once', async ({ site, clock, openRun }) => {
  const first = await openRun();
  await load(first, site);
  await first.cache.close();
  clock.advance(SECOND);

  const refreshing = await openRun({ mode: 'refresh' });
  expect(sources(await load(refreshing, site))).toEqual(['stored', 'stored', 'stored']);
  expect(sources(await load(refreshing, site))).toEqual(['memory', 'memory', 'memory']);
  expect(bundleHits(site)).toEqual({ [MAIN]: 2, '/canvaskit/canvaskit.js': 2, '/canvaskit/canvaskit.wasm': 2 });
  expect(refreshing.cache.stats().errors).toBe(0);
});
