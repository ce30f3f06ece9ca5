import { expectWorkingApp, bundleHits } from '../cache/fixtures.js';
import { test, expect } from './fixtures.js';
import { Machine, sources, type Loaded } from './machines.js';
import type { BundleCacheOptions, BundleCacheStats } from '../../../src/index.js';

const FLEET = 4;
const ALL_REMOTE = { '/main.dart.js?v=1': 'remote', '/canvaskit/canvaskit.js': 'remote', '/canvaskit/canvaskit.wasm': 'remote' };

async function startFleet(startMachine: (options: Omit<BundleCacheOptions, 'dir'>) => Promise<Machine>, options: Omit<BundleCacheOptions, 'dir'>, count: number): Promise<Machine[]> {
  return Promise.all(Array.from({ length: count }, () => startMachine(options)));
}

function total(results: readonly { stats: BundleCacheStats }[], key: Exclude<keyof BundleCacheStats, 'sessions'>): number {
  return results.reduce((sum, { stats }) => sum + stats[key], 0);
}

test.describe.configure({ mode: 'default' });

test('should fetch each bundle from the origin once for 4 cold machines on Redis, then serve a fifth machine from the remote alone', async ({ site, pageUrl, redisRemote, startMachine }) => {
  test.setTimeout(240_000);
  // Loads overlap for sure: the first machine's fetch of each bundle takes longer than the others' lookups.
  site.setLatency(100);
  // The fifth machine starts with the others (it costs a Chromium launch), and loads once they are done.
  const [fifth, ...fleet] = await startFleet(startMachine, { remote: redisRemote }, FLEET + 1) as [Machine, ...Machine[]];
  const loads: Loaded[] = await Promise.all(fleet.map(machine => machine.load(pageUrl)));
  for (const { report } of loads)
    expectWorkingApp(report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 1, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
  expect(total(loads, 'misses')).toBe(3);
  expect(total(loads, 'remoteHits')).toBe(3 * (FLEET - 1));
  expect(loads.flatMap(load => load.problems)).toEqual([]);
  const closed = await Promise.all(fleet.map(machine => machine.close()));
  expect(total(closed, 'uploads')).toBe(3);

  site.resetCounters();
  const loaded = await fifth.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 });
  expect(sources(loaded.served)).toEqual(ALL_REMOTE);
  expect(loaded.stats).toMatchObject({ remoteHits: 3, misses: 0, remoteErrors: 0, bytesFromNetwork: 0 });
  expect(loaded.stats.bytesFromRemote).toBe(bundleBytes(site));
});

test('should fetch each bundle at most once per machine for 4 cold machines on nginx, and not at all for a fifth', async ({ site, pageUrl, nginxRemote, startMachine }) => {
  test.setTimeout(240_000);
  site.setLatency(100);
  const [fifth, ...fleet] = await startFleet(startMachine, { remote: nginxRemote }, FLEET + 1) as [Machine, ...Machine[]];
  const loads = await Promise.all(fleet.map(machine => machine.load(pageUrl)));
  for (const { report } of loads)
    expectWorkingApp(report, site);
  for (const hits of Object.values(bundleHits(site))) {
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(hits).toBeLessThanOrEqual(FLEET);
  }
  expect(total(loads, 'misses') + total(loads, 'remoteHits')).toBe(3 * FLEET);
  expect(total(loads, 'misses')).toBe(Object.values(bundleHits(site)).reduce((sum, hits) => sum + hits, 0));
  await Promise.all(fleet.map(machine => machine.close()));

  site.resetCounters();
  const loaded = await fifth.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 });
  expect(sources(loaded.served)).toEqual(ALL_REMOTE);
  expect(loaded.stats).toMatchObject({ remoteHits: 3, misses: 0, remoteErrors: 0 });
});

function bundleBytes(site: { body(path: string): Buffer }): number {
  return ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'].reduce((sum, path) => sum + site.body(path).length, 0);
}
