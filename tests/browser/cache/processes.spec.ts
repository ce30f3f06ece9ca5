import { test, expect, expectWorkingApp, bundleHits } from './fixtures.js';
import { spawnTs } from '../../helpers/children.js';
import type { BundleCacheStats } from '../../../src/index.js';
import type { SiteReport } from '../../site/server.js';

test('should fetch each bundle once across 4 processes on a cold cache', async ({ site, cacheDir }) => {
  test.setTimeout(180_000);
  site.setLatency(50);
  const children = Array.from({ length: 4 }, () => spawnTs('tests/helpers/childVisit.ts', [cacheDir, site.pageUrl + '?hash=1']));
  for (const child of children)
    expect(await child.nextLine()).toBe('ready');
  for (const child of children)
    child.process.stdin!.end('go\n');
  const results = await Promise.all(children.map(async child => JSON.parse(await child.nextLine()) as { stats: BundleCacheStats; report: SiteReport }));
  expect(await Promise.all(children.map(child => child.exited))).toEqual([0, 0, 0, 0]);

  for (const { report } of results)
    expectWorkingApp(report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 1, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
  const total = (key: 'misses' | 'errors' | 'diskHits') => results.reduce((sum, { stats }) => sum + stats[key], 0);
  expect(total('misses')).toBe(3);
  expect(total('errors')).toBe(0);
  expect(total('diskHits')).toBe(9);
});
