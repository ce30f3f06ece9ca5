import { BundleCache } from '../../../src/index.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { startSite, type OriginProfile, type Site } from '../../site/server.js';
import { expect, test } from './fixtures.js';

// The fleet's single flight covers checks (issue 19): machines on one Redis,
// each its own cache dir, run and host, warm a self-hosted, unversioned
// Flutter app's bundles. The origin's answers tell how often it was asked.

const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;

function answers(site: Site) {
  return Object.fromEntries(BUNDLES.map(path => [path, { ...site.responses(path) }]));
}

const PROFILES: ReadonlyArray<{ profile: OriginProfile; validators: boolean }> = [
  { profile: 'no-validators', validators: false },
  { profile: 'netlify', validators: true },
];

for (const { profile, validators } of PROFILES) {
  test(`should ask the origin once per bundle for four cold machines, and ${validators ? 'a 304, no body,' : 'one download'} per bundle for a fifth, as ${profile}`, async ({ redis }) => {
    test.setTimeout(120_000);
    // Latency, so that the four overlap: each waits for the one holding the fleet lock.
    const site = await startSite({ layout: 'flutter', profile, localCanvasKit: true, latencyMs: 100 });
    const dirs: string[] = [];
    const machine = async (name: string) => {
      const dir = await makeTempDir(`bundle-cache-${name}-`);
      dirs.push(dir);
      // Each machine its own host: another machine's checks count within the clock skew allowed.
      return BundleCache.open({ dir, remote: { url: redis.url, timeout: '10s' } }, { host: name });
    };
    try {
      const cold = await Promise.all(['m1', 'm2', 'm3', 'm4'].map(machine));
      const results = await Promise.all(cold.map(cache => Promise.all(BUNDLES.map(path => cache.warm(site.origin + path)))));
      await Promise.all(cold.map(cache => cache.close()));
      expect(answers(site)).toEqual(Object.fromEntries(BUNDLES.map(path => [path, { 200: 1 }])));
      expect(results.flat().map(result => result.outcome).sort()).toEqual([...Array(9).fill('fresh'), ...Array(3).fill('stored')]);
      // The three that waited were served on the leader's download, made during their runs.
      expect(cold.reduce((sum, cache) => sum + cache.stats().checksBorrowed, 0)).toBe(9);
      expect(cold.reduce((sum, cache) => sum + cache.stats().errors, 0)).toBe(0);

      site.resetCounters();
      const fifth = await machine('m5');
      for (const path of BUNDLES)
        expect(await fifth.warm(site.origin + path)).toMatchObject(validators ? { outcome: 'fresh', revalidated: true } : { outcome: 'stored' });
      await fifth.close();
      expect(answers(site)).toEqual(Object.fromEntries(BUNDLES.map(path => [path, validators ? { 304: 1 } : { 200: 1 }])));
      if (validators)
        expect(BUNDLES.reduce((sum, path) => sum + site.bytesSent(path), 0)).toBe(0);
      expect(fifth.stats()).toMatchObject({ errors: 0, revalidations: validators ? 3 : 0 });
    } finally {
      await site.close();
      await Promise.all(dirs.map(removeDir));
    }
  });
}
