import { test, expect } from 'playwright-bundle-cache/test';
import { bundleHits, originUrl } from './origin.js';

// Two workers, one cache dir: whichever worker asks first fetches the bundle,
// every other test (in either worker) reads it from the cache.
test.use({ bundleCache: { dir: process.env.PEER_SMOKE_DIR } });

for (const n of [1, 2, 3, 4]) {
  test(`should load the bundle from the shared cache (${n})`, async ({ page, bundleCacheInstance }) => {
    await page.goto(`${originUrl()}/?bundle=fixture`);
    expect(await page.evaluate(() => (window as unknown as { bundleLength: number }).bundleLength)).toBe(1024 * 1024);
    const stats = bundleCacheInstance.stats();
    expect(stats.errors).toBe(0);
    expect(stats.memoryHits + stats.diskHits + stats.misses).toBeGreaterThan(0);
    expect(await bundleHits(originUrl(), 'fixture')).toBe(1);
  });
}
