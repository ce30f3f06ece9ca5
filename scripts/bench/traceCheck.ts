import fs from 'node:fs/promises';
import path from 'node:path';
import type { Browser } from 'playwright';
import { BundleCache, type ServeMode } from '../../src/index.js';
import { loadApp } from '../../tests/site/server.js';

/** Size of a trace (snapshots on) of one warm page load, with no cache and with the cache in each serve mode. */
export async function traceSizes(browser: Browser, pageUrl: string, workDir: string): Promise<Array<{ setup: string; bytes: number }>> {
  const results: Array<{ setup: string; bytes: number }> = [];
  const traced = async (setup: string, prepare: (context: Awaited<ReturnType<Browser['newContext']>>) => Promise<void>) => {
    const context = await browser.newContext();
    await prepare(context);
    await context.tracing.start({ snapshots: true });
    await loadApp(await context.newPage(), pageUrl);
    const file = path.join(workDir, `trace-${setup.replace(/\W+/g, '-')}.zip`);
    await context.tracing.stop({ path: file });
    await context.close();
    results.push({ setup, bytes: (await fs.stat(file)).size });
  };
  await traced('no cache', async () => {});
  for (const serve of ['fulfill', 'loopback'] as ServeMode[]) {
    const cache = await BundleCache.open({ dir: await fs.mkdtemp(path.join(workDir, 'trace-cache-')), serve });
    const warm = await browser.newContext();
    await cache.attach(warm);
    await loadApp(await warm.newPage(), pageUrl);
    await warm.close();
    await traced(`bundle cache, memory hit, serve '${serve}'`, context => cache.attach(context));
    await cache.close();
  }
  return results;
}
