// A separate process, run by oneDownloadPerRun.spec.ts: opens a BundleCache
// on the shared dir (its run begins), says "ready", waits for "go" (so that
// several start together), warms every URL given at once, closes the cache
// and prints a JSON line with the outcomes and the stats.
import { BundleCache } from '../../../src/index.js';
import { nextStdinLine, say } from '../../helpers/stdin.js';

const [dir, ...urls] = process.argv.slice(2) as [string, ...string[]];
// Loaded before "ready" (warm() loads it on first use), so the processes start their requests together.
await import('playwright');
const cache = await BundleCache.open({ dir });
say('ready');
await nextStdinLine();
process.stdin.destroy();
const results = await Promise.all(urls.map(url => cache.warm(url)));
await cache.close();
say({ outcomes: results.map(result => result.outcome), stats: cache.stats() });
