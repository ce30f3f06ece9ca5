import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright';
import { BundleCache } from '../../src/index.js';
import { loadApp } from '../../tests/site/server.js';

export interface RssResult {
  loads: number;
  memoryBudgetBytes: number;
  baselineRssBytes: number;
  peakRssBytes: number;
  finalRssBytes: number;
}

/** Node RSS over `loads` sequential page loads with the cache, after 10 warm-up loads. */
export async function rssOverLoads(browser: Browser, pageUrl: string, workDir: string, loads: number, progress: (message: string) => void): Promise<RssResult> {
  const memoryBudgetBytes = 50 * 1024 * 1024;
  const cache = await BundleCache.open({ dir: await fs.mkdtemp(path.join(workDir, 'rss-cache-')), memory: { maxBytes: memoryBudgetBytes } });
  const load = async () => {
    const context = await browser.newContext();
    await cache.attach(context);
    await loadApp(await context.newPage(), pageUrl);
    await context.close();
  };
  for (let i = 0; i < 10; i++)
    await load();
  global.gc?.();
  const baselineRssBytes = process.memoryUsage().rss;
  let peakRssBytes = baselineRssBytes;
  for (let i = 1; i <= loads; i++) {
    await load();
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage().rss);
    if (i % 50 === 0)
      progress(`  ${i}/${loads} loads, rss ${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB`);
  }
  global.gc?.();
  const finalRssBytes = process.memoryUsage().rss;
  await cache.close();
  return { loads, memoryBudgetBytes, baselineRssBytes, peakRssBytes, finalRssBytes };
}
