import { test, expect } from 'playwright-bundle-cache/test';
import { openApp } from '../app.js';

test('should load the build the page asks for', async ({ page }) => {
  const app = await openApp(page);
  const build = await page.evaluate(() => (window as { __siteBuild?: { version: number; main: { url: string } } }).__siteBuild!);
  expect(app.version).toBe(build.version);
  expect(build.main.url).toBe(`/main.dart.js?v=${build.version}`);
});

test('should hand the page the exact bytes of the build', async ({ page }) => {
  // ?hash=1 makes the app fetch its bundles again and hash what it got.
  const app = await openApp(page, '/?hash=1');
  const build = await page.evaluate(() => (window as { __siteBuild?: Record<string, { url: string; sha256: string }> }).__siteBuild!);
  expect(app.hashes).toEqual({
    [build.main!.url]: build.main!.sha256,
    [build.canvaskitJs!.url]: build.canvaskitJs!.sha256,
    [build.canvaskitWasm!.url]: build.canvaskitWasm!.sha256,
  });
});

test('should count the bundles of this test', async ({ page, bundleCacheInstance }) => {
  const before = bundleCacheInstance.stats();
  await openApp(page);
  const after = bundleCacheInstance.stats();
  const answered = (stats: typeof after) => stats.memoryHits + stats.diskHits + stats.misses;
  expect(answered(after) - answered(before)).toBe(3);
});
