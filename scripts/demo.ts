// `npm run demo`: the main job, a scraping-style script on the default cache
// dir. Starts the test site in the real `flutter build web` layout (an
// unversioned main.dart.js answered as Netlify does: `max-age=0,
// must-revalidate` + ETag; CanvasKit from a CDN under its engine revision)
// behind a throttled origin, opens 5 fresh browser contexts in a row, deploys
// a new build before the last one, and shows where each bundle came from and
// which build each page ran. Run it twice: the second run starts from disk.
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright';
import { BundleCache, chromiumLaunchOptions, isBundleCacheError, type ServedEvent } from '../src/index.js';
import { loadFlutterApp, startSite, type Site } from '../tests/site/server.js';
import { formatBytes } from './format.js';

const VISITS = 5;
const BANDWIDTH_MBIT = 50;
const LATENCY_MS = 40;
// Fixed ports keep the URLs (and so the cache keys) the same from run to run.
const PORT = 8787;
const CDN_PORT = 8788;
const BUNDLES = ['main.dart.js', 'canvaskit.js', 'canvaskit.wasm'] as const;
const WIDTH = 18;

async function startDemoSite(): Promise<Site> {
  const options = { layout: 'flutter', profile: 'netlify', latencyMs: LATENCY_MS, bandwidthBytesPerSec: BANDWIDTH_MBIT * 125_000 } as const;
  return startSite({ ...options, port: PORT, cdnPort: CDN_PORT }).catch(() => startSite(options));
}

/** Where a bundle came from: a tier, the network, or the cache's copy after a 304. */
function sourceOf(served: readonly ServedEvent[], name: string): string {
  const event = served.find(candidate => new URL(candidate.url).pathname.endsWith(`/${name}`));
  if (!event)
    return '-';
  return event.revalidated ? 'revalidated (304)' : event.source;
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
  const wasmPath = new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.wasm').pathname;
  const bundleBytes = site.body('/main.dart.js').length + site.cdn.body(wasmPath).length + site.cdn.body(wasmPath.replace(/wasm$/, 'js')).length;
  const originBytes = () => site.bytesSent() + site.cdn.bytesSent();

  console.log(`origin  ${site.origin} as Netlify serves \`flutter build web\` (main.dart.js: max-age=0, must-revalidate + ETag), CanvasKit from ${site.cdn.origin}`);
  console.log(`        ${BANDWIDTH_MBIT} Mbit/s, ${LATENCY_MS} ms latency, ${formatBytes(bundleBytes)} of bundles; build ${site.version} deployed`);
  console.log(`cache   ${cache.dir} (revalidate '${process.env.BUNDLE_CACHE_REVALIDATE ?? 'run'}')\n`);
  console.log(['visit', ...BUNDLES.map(name => name.padEnd(WIDTH)), 'build ran'.padEnd(16), 'page ready', 'from origin', 'saved'].join('  '));

  let savedTotal = 0;
  const builds: string[] = [];
  for (let visit = 1; visit <= VISITS; visit++) {
    if (visit === VISITS) {
      const deploy = site.deploy();
      console.log(`-- build ${deploy.version} deployed at the same URLs --`);
    }
    const served: ServedEvent[] = [];
    const onServed = (event: ServedEvent) => served.push(event);
    cache.on('served', onServed);
    const context = await browser.newContext();
    await cache.attach(context);
    const page = await context.newPage();
    const originBytesBefore = originBytes();
    const started = performance.now();
    const report = await loadFlutterApp(page, site.pageUrl);
    const elapsed = performance.now() - started;
    await context.close();
    cache.off('served', onServed);
    if (report.main.build === null)
      throw new Error(`the app failed to load: ${report.error}`);

    // The page says which build of main.dart.js ran, and whether it is the one index.html announces.
    const ran = report.main.matched ? `build ${report.main.build}` : `build ${report.main.build} (STALE)`;
    builds.push(ran);
    const saved = served.filter(event => event.source !== 'network').reduce((sum, event) => sum + event.bytes, 0);
    savedTotal += saved;
    console.log([
      String(visit).padEnd(5),
      ...BUNDLES.map(name => sourceOf(served, name).padEnd(WIDTH)),
      ran.padEnd(16),
      `${(elapsed / 1000).toFixed(2)} s`.padStart(10),
      formatBytes(originBytes() - originBytesBefore).padStart(11),
      formatBytes(saved).padStart(8),
    ].join('  '));
  }

  const stats = cache.stats();
  await cache.close();
  await browser.close();
  await site.close();
  const stale = builds.filter(build => build.includes('STALE')).length;
  console.log(`\n${VISITS} visits: ${stats.memoryHits} memory hits, ${stats.diskHits} disk hits (${stats.revalidated} of them after a 304, no body), `
    + `${stats.misses} from the network, ${stats.revalidations} conditional requests; ${formatBytes(savedTotal)} not downloaded; `
    + `${stale ? `${stale} visits ran a stale build` : 'every visit ran the deployed build'} (${builds.join(', ')}).`);
  console.log(`The cache lives in ${cache.dir} (cache_versions.json, v1/<host>/*.body + *.meta.json).`);
  console.log('Run `npm run demo` again: CanvasKit then comes from disk, and the cached main.dart.js (the last build) is checked against');
  console.log('the restarted site, which serves build 1 again: it is fetched whole, never served stale. See what the cache holds: `npx bundle-cache status`.');
}

await main();
