import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { BundleCache } from 'playwright-bundle-cache';
import { bundleHits, originUrl } from './origin.js';

test('should serve a page its bundle from the cache in a second fresh context', async ({ browser }) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-cache-peer-attach-'));
  const cache = await BundleCache.open({ dir });
  try {
    for (const visit of [1, 2]) {
      const context = await browser.newContext();
      await cache.attach(context);
      const page = await context.newPage();
      await page.goto(`${originUrl()}/?bundle=attach`);
      expect(await page.evaluate(() => (window as unknown as { bundleLength: number }).bundleLength), `visit ${visit}`).toBe(1024 * 1024);
      await context.close();
    }
    expect(cache.stats()).toMatchObject({ misses: 1, memoryHits: 1, errors: 0 });
    expect(await bundleHits(originUrl(), 'attach')).toBe(1);
  } finally {
    await cache.close();
    await rm(dir, { recursive: true, force: true });
  }
});
