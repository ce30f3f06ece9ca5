// `npm run demo`: the main job, a scraping-style script on the default cache
// dir. Starts the realistic Flutter-like site behind a throttled origin,
// opens 5 fresh browser contexts in a row, and shows where each bundle came
// from. Run it twice: the second run starts from disk.
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright';
import { BundleCache, chromiumLaunchOptions, isBundleCacheError, type ServedEvent } from '../src/index.js';
import { loadApp, startSite, type Site } from '../tests/site/server.js';
import { formatBytes } from './format.js';

const VISITS = 5;
const BANDWIDTH_MBIT = 50;
const LATENCY_MS = 40;
const PORT = 8787;
const BUNDLES = ['main.dart.js', 'canvaskit.js', 'canvaskit.wasm'];

async function startDemoSite(): Promise<Site> {
  const options = { latencyMs: LATENCY_MS, bandwidthBytesPerSec: BANDWIDTH_MBIT * 125_000 };
  // A fixed port keeps the URLs (and so the cache keys) the same from run to run.
  return startSite({ ...options, port: PORT }).catch(() => startSite(options));
}

async function main(): Promise<void> {
  let launchOptions;
  try {
    launchOptions = chromiumLaunchOptions();
  } catch (error) {
    if (isBundleCacheError(error, 'ERR_NO_BROWSER')) {
      console.error(error.message);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
  const site = await startDemoSite();
  const browser = await chromium.launch(launchOptions);
  const cache = await BundleCache.open();
  const bundleBytes = BUNDLES.reduce((sum, name) => sum + site.body(name === 'main.dart.js' ? '/main.dart.js' : `/canvaskit/${name}`).length, 0);

  console.log(`origin  ${site.origin}  (${BANDWIDTH_MBIT} Mbit/s, ${LATENCY_MS} ms latency), a Flutter-like app with ${formatBytes(bundleBytes)} of bundles`);
  console.log(`cache   ${cache.dir}\n`);
  console.log(['visit', ...BUNDLES.map(name => name.padEnd(14)), 'page ready', 'from origin', 'saved'].join('  '));

  let savedTotal = 0;
  for (let visit = 1; visit <= VISITS; visit++) {
    const served: ServedEvent[] = [];
    const onServed = (event: ServedEvent) => served.push(event);
    cache.on('served', onServed);
    const context = await browser.newContext();
    await cache.attach(context);
    const page = await context.newPage();
    const originBytesBefore = site.bytesSent();
    const started = performance.now();
    const report = await loadApp(page, site.pageUrl);
    const elapsed = performance.now() - started;
    await context.close();
    cache.off('served', onServed);
    if (report.error)
      throw new Error(`the app failed to load: ${report.error}`);

    const sourceOf = (name: string) => served.find(event => new URL(event.url).pathname.endsWith(`/${name}`))?.source ?? '-';
    const saved = served.filter(event => event.source !== 'network').reduce((sum, event) => sum + event.bytes, 0);
    savedTotal += saved;
    console.log([
      String(visit).padEnd(5),
      ...BUNDLES.map(name => sourceOf(name).padEnd(14)),
      `${(elapsed / 1000).toFixed(2)} s`.padStart(10),
      formatBytes(site.bytesSent() - originBytesBefore).padStart(11),
      formatBytes(saved).padStart(8),
    ].join('  '));
  }

  const stats = cache.stats();
  await cache.close();
  await browser.close();
  await site.close();
  console.log(`\n${stats.memoryHits + stats.diskHits} hits (${stats.memoryHits} memory, ${stats.diskHits} disk), ${stats.misses} misses, hit rate ${(stats.hitRate * 100).toFixed(0)} %, ${formatBytes(savedTotal)} not downloaded.`);
  console.log(`The cache lives in ${cache.dir} (cache_versions.json, v1/<host>/*.body + *.meta.json).`);
  console.log('Run `npm run demo` again: the first visit is then served from disk. See what it holds: `npx bundle-cache status`.');
}

await main();
