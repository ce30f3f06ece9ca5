// A separate process, run by processes.spec.ts. Each `warm <epoch ms> <url>`
// line on stdin opens a new BundleCache on the shared dir (a new run) whose
// clock stands still at that instant, warms the URL, closes the cache and
// prints a JSON line with the result and the stats. End of input ends it.
import readline from 'node:readline';
import { BundleCache, type RevalidateMode } from '../../../src/index.js';

const [dir, revalidate] = process.argv.slice(2) as [string, RevalidateMode];
// Loaded before "ready" (warm() loads it on first use), so a wave's processes start their requests together.
await import('playwright');
process.stdout.write('ready\n');
for await (const line of readline.createInterface({ input: process.stdin })) {
  const [, at, url] = line.split(' ') as [string, string, string];
  const instant = Number(at);
  const cache = await BundleCache.open({ dir, revalidate, now: () => instant });
  const result = await cache.warm(url);
  await cache.close();
  process.stdout.write(JSON.stringify({ result, stats: cache.stats() }) + '\n');
}
