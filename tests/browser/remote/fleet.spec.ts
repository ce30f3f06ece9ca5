import { expectWorkingApp, bundleHits } from '../cache/fixtures.js';
import type { BundleCacheStats } from '../../../src/index.js';
import { test, expect, sources, type Loaded, type PageMachine } from './fixtures.js';

// The pages of a fleet on Redis. The same claims without a browser, and the fleet on nginx (no
// fleet lock), are in tests/unit/remote/machines/; the lock itself in tests/unit/remote/fleetLock.spec.ts.

const FLEET = 4;
const ALL_REMOTE = { '/main.dart.js?v=1': 'remote', '/canvaskit/canvaskit.js': 'remote', '/canvaskit/canvaskit.wasm': 'remote' };

function total(machines: readonly PageMachine[], key: Exclude<keyof BundleCacheStats, 'sessions'>): number {
  return machines.reduce((sum, machine) => sum + machine.cache.stats()[key], 0);
}

test('should fetch each bundle from the origin once for 4 cold machines on Redis, then serve a fifth machine from the remote alone', async ({ site, pageUrl, redisRemote, startMachine }) => {
  test.setTimeout(180_000);
  // Loads overlap for sure: the first machine's fetch of each bundle takes longer than the others' lookups.
  site.setLatency(100);
  const fleet = await Promise.all(Array.from({ length: FLEET }, () => startMachine({ remote: redisRemote })));
  const loads: Loaded[] = await Promise.all(fleet.map(machine => machine.load(pageUrl)));
  for (const { report } of loads)
    expectWorkingApp(report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 1, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
  expect(total(fleet, 'misses')).toBe(3);
  expect(total(fleet, 'remoteHits')).toBe(3 * (FLEET - 1));
  expect(loads.flatMap(load => load.problems)).toEqual([]);
  // The three fetched bundles are uploaded (waited for, not bounded by close()), once in all.
  await expect.poll(() => total(fleet, 'uploads'), { timeout: 60_000 }).toBe(3);
  await Promise.all(fleet.map(machine => machine.cache.close()));
  expect(total(fleet, 'uploads')).toBe(3);

  site.resetCounters();
  const fifth = await startMachine({ remote: redisRemote });
  const loaded = await fifth.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 });
  expect(sources(loaded.served)).toEqual(ALL_REMOTE);
  expect(fifth.cache.stats()).toMatchObject({ remoteHits: 3, misses: 0, remoteErrors: 0, bytesFromNetwork: 0 });
  expect(fifth.cache.stats().bytesFromRemote).toBe(['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'].reduce((sum, path) => sum + site.body(path).length, 0));
});
