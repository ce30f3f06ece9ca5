import { test as base, expect } from '@playwright/test';
import { BundleCache, type BundleCacheOptions, type BundleCacheStats, type ServedEvent } from '../../../src/index.js';
import type { BundleCacheInternals } from '../../../src/cache/bundleCache.js';
import { startSite, type Site, type SiteOptions, type SiteReport } from '../../site/server.js';
import { appProblems, visit } from '../../helpers/visit.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

export const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;

type Fixtures = {
  siteOptions: SiteOptions;
  site: Site;
  /** A fresh cache root for this test, removed afterwards. */
  cacheDir: string;
  /** Opens a BundleCache on `cacheDir` (unless `dir` is given); closed after the test. */
  openCache: (options?: BundleCacheOptions, internals?: BundleCacheInternals) => Promise<BundleCache>;
};

export const test = base.extend<Fixtures>({
  siteOptions: [{}, { option: true }],
  site: async ({ siteOptions }, use) => {
    const site = await startSite(siteOptions);
    await use(site);
    await site.close();
  },
  cacheDir: async ({}, use) => {
    const dir = await makeTempDir();
    await use(dir);
    await removeDir(dir);
  },
  openCache: async ({ cacheDir }, use) => {
    const opened: BundleCache[] = [];
    await use(async (options = {}, internals = {}) => {
      const cache = await BundleCache.open({ dir: cacheDir, ...options }, internals);
      opened.push(cache);
      return cache;
    });
    await Promise.all(opened.map(cache => cache.close()));
  },
});

export { expect };

export { visit };

/** The app works and the page saw exactly the origin's bytes (hashed in the page, with `?hash=1`). */
export function expectWorkingApp(report: SiteReport, site: Site, version = site.version): void {
  expect(appProblems(report, site, version)).toEqual([]);
}

const inBuckets = (stats: BundleCacheStats) => stats.memoryHits + stats.diskHits + stats.remoteHits + stats.misses + stats.bypassed + stats.aborted;

/** Every request the cache saw ends in exactly one bucket (once those still being answered are done). */
export async function expectOneBucketEach(cache: { stats(): BundleCacheStats }): Promise<void> {
  await expect.poll(() => cache.stats().requests - inBuckets(cache.stats())).toBe(0);
}

export function bundleHits(site: Site): Record<string, number> {
  return Object.fromEntries(BUNDLES.map(path => [path, site.hits(path)]));
}

/** Every `served` event of `cache` from now on, in order. */
export function recordServed(cache: BundleCache): ServedEvent[] {
  const events: ServedEvent[] = [];
  cache.on('served', event => events.push(event));
  return events;
}
