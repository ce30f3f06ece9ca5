import { test as base, expect, type Browser, type BrowserContextOptions } from '@playwright/test';
import { BundleCache, type BundleCacheOptions } from '../../../src/index.js';
import type { BundleCacheInternals } from '../../../src/engine/bundleCache.js';
import { loadApp, startSite, type Site, type SiteOptions, type SiteReport } from '../../site/server.js';
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

/** One visit as a scraper makes it: a fresh context with the cache attached, the app loaded, the context closed. */
export async function visit(browser: Browser, cache: BundleCache, url: string, contextOptions: BrowserContextOptions = {}): Promise<SiteReport> {
  const context = await browser.newContext(contextOptions);
  try {
    await cache.attach(context);
    const page = await context.newPage();
    return await loadApp(page, url);
  } finally {
    await context.close();
  }
}

/** The app works and the page saw exactly the origin's bytes (hashed in the page, with `?hash=1`). */
export function expectWorkingApp(report: SiteReport, site: Site, version = site.version): void {
  expect(report.error).toBeNull();
  expect(report.canvaskit).toEqual({ drew: true, pixel: [255, 0, 0, 255] });
  expect(report.main.loaded).toBe(true);
  if (Object.keys(report.hashes).length) {
    expect(report.hashes).toEqual({
      [`/main.dart.js?v=${version}`]: site.sha256('/main.dart.js', version),
      '/canvaskit/canvaskit.js': site.sha256('/canvaskit/canvaskit.js'),
      '/canvaskit/canvaskit.wasm': site.sha256('/canvaskit/canvaskit.wasm'),
    });
  }
}

export function bundleHits(site: Site): Record<string, number> {
  return Object.fromEntries(BUNDLES.map(path => [path, site.hits(path)]));
}
