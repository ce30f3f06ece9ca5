// `npm run bench:proxy`: the proxy's rows of issue 21, printed as Markdown tables.
// Sections (--only scraper,flutter,trust,fleet,stress; default all): the scraper
// page (no interception vs the route vs the proxy), the Flutter page warm vs the
// fresh-context floor (http, https), Chromium's own HTTP cache behind the proxy
// per trust method, 8 browsers at once, kill -9 mid-store and hostile clients.
// Flags: --rounds 5 --browsers 8
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser } from 'playwright';
import { BundleCache, chromiumLaunchOptions } from '../src/index.js';
import { loadFlutterApp, startSite } from '../tests/site/server.js';
import { makeTempDir, removeDir } from '../tests/helpers/tempDir.js';
import { startListeningProcess } from './bench/proxyProcess.js';
import { startScraperOriginProcess } from './bench/scraperOrigin.js';
import { median, formatMs } from './bench/stats.js';
import { fleetRows, stressRows } from './bench/proxyStress.js';

const { values: flags } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, browsers: { type: 'string', default: '8' }, only: { type: 'string' } } });
const rounds = Number(flags.rounds);
const only = new Set((flags.only ?? 'scraper,flutter,trust,fleet,stress').split(','));
const base = chromiumLaunchOptions();
const log = (text: string) => process.stdout.write(`${text}\n`);
const progress = (text: string) => process.stderr.write(`${text}\n`);

type Load = () => Promise<number>;

/** Loads each mode once per round, in a new order each round; medians of page-ready time. */
async function roundRobin(modes: Record<string, Load>): Promise<Array<[string, number]>> {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(modes).map(name => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const names = Object.keys(modes);
    const order = names.map((name, i) => names[(i + round) % names.length]!);
    for (const name of order)
      times[name]!.push(await modes[name]!());
    progress(`round ${round + 1}/${rounds}`);
  }
  return Object.entries(times).map(([name, values]) => [name, median(values)]);
}

function table(rows: Array<[string, number]>, floorName: string): void {
  const floor = rows.find(([name]) => name === floorName)![1];
  log('| mode | median | × ' + floorName + ' |\n|---|---:|---:|');
  for (const [name, ms] of rows)
    log(`| ${name} | ${formatMs(ms)} | ${(ms / floor).toFixed(2)} × |`);
  log('');
}

async function fresh(browser: Browser, url: string, setup?: (context: Awaited<ReturnType<Browser['newContext']>>) => Promise<void>, ignoreHTTPSErrors = false): Promise<number> {
  const context = await browser.newContext({ ignoreHTTPSErrors });
  await setup?.(context);
  const page = await context.newPage();
  await page.goto(url);
  const done = await page.waitForFunction(() => (window as unknown as { __done?: number }).__done, null, { timeout: 120_000 });
  const ms = await done.jsonValue() as number;
  await context.close();
  return ms;
}

/**
 * The scraper page. The origin runs in a process of its own, as a
 * real origin does (its work would otherwise share the event loop of the
 * in-process route and proxy); the bare node:http proxy (proxyBare.ts) is
 * the floor any Node forward proxy pays, shown for scale.
 */
async function scraper(): Promise<void> {
  const dir = await makeTempDir();
  const origin = await startScraperOriginProcess({ images: 300, xhrs: 300, latencyMs: 5 });
  const cache = await BundleCache.open({ dir });
  const proxy = await cache.proxy({ port: 0 });
  const bare = await startListeningProcess<{ url: string }>(['--import', 'tsx', path.join(import.meta.dirname, 'bench/proxyBare.ts')], {}, 'the bare proxy');
  const plain = await chromium.launch(base);
  const proxied = await chromium.launch({ ...base, proxy: proxy.launchOptions.proxy, args: [...base.args, ...proxy.launchOptions.args] });
  const bared = await chromium.launch({ ...base, proxy: { server: bare.url } });
  try {
    await fresh(proxied, origin.url);
    await fresh(bared, origin.url);
    const rows = await roundRobin({
      'no interception': () => fresh(plain, origin.url),
      'the route (cache.attach)': () => fresh(plain, origin.url, context => cache.attach(context)),
      'the proxy (cache.proxy)': () => fresh(proxied, origin.url),
      'bare node:http proxy, no cache (floor of a Node proxy)': () => fresh(bared, origin.url),
    });
    log(`### Scraper page: one 5.8 MB bundle, 300 images + 300 XHRs no rule caches, origin latency 5 ms in its own process (${rounds} rounds, fresh context each load)\n`);
    table(rows, 'no interception');
  } finally {
    await Promise.all([plain.close(), proxied.close(), bared.close()]);
    bare.child.kill();
    await cache.close();
    await origin.close();
    await removeDir(dir);
  }
}

async function flutter(): Promise<void> {
  for (const https of [false, true]) {
    const dir = await makeTempDir();
    const throttled = await startSite({ layout: 'flutter', https, latencyMs: 20 });
    const floorSite = await startSite({ layout: 'flutter', https });
    const cache = await BundleCache.open({ dir });
    const proxy = await cache.proxy({ port: 0, ignoreHTTPSErrors: true });
    // The same proxy with each check at its bundle's request: what early checks save (the A/B of docs/bench-proxy.md).
    const lateDir = await makeTempDir();
    const lateCache = await BundleCache.open({ dir: lateDir }, { earlyChecks: false });
    const lateProxy = await lateCache.proxy({ port: 0, ignoreHTTPSErrors: true });
    const plain = await chromium.launch(base);
    const proxied = await chromium.launch({ ...base, proxy: proxy.launchOptions.proxy, args: [...base.args, ...proxy.launchOptions.args] });
    const lateProxied = await chromium.launch({ ...base, proxy: lateProxy.launchOptions.proxy, args: [...base.args, ...lateProxy.launchOptions.args] });
    // Per mode, how long main.dart.js took from its request to its first byte: where a check at the bundle's request waits.
    const mainWaits = new Map<string, number[]>();
    const load = async (browser: Browser, url: string, attach: boolean, mode = '') => {
      const context = await browser.newContext({ ignoreHTTPSErrors: https && browser === plain });
      if (attach)
        await cache.attach(context);
      const page = await context.newPage();
      const report = await loadFlutterApp(page, url, { timeout: 120_000 });
      const wait = await page.evaluate(() => {
        const entry = performance.getEntriesByType('resource').find(e => new URL(e.name).pathname === '/main.dart.js') as PerformanceResourceTiming | undefined;
        return entry ? entry.responseStart - entry.requestStart : NaN;
      });
      await context.close();
      if (report.error)
        throw new Error(report.error);
      mainWaits.set(mode, [...mainWaits.get(mode) ?? [], wait]);
      return report.timings.done!;
    };
    const waitOf = (mode: string) => formatMs(median(mainWaits.get(mode)!));
    try {
      await load(proxied, throttled.pageUrl, false);
      await load(lateProxied, throttled.pageUrl, false);
      await load(plain, throttled.pageUrl, true);
      await load(proxied, floorSite.pageUrl, false);
      await load(plain, floorSite.pageUrl, true);
      mainWaits.clear();
      const rows = await roundRobin({
        'fresh-context floor (origin without latency)': () => load(plain, floorSite.pageUrl, false, 'floor'),
        'route: memory hit (20 ms origin)': () => load(plain, throttled.pageUrl, true, 'route'),
        'proxy: memory hit (20 ms origin)': () => load(proxied, throttled.pageUrl, false, 'proxy'),
        'proxy, checked at the bundle\'s request (no early checks)': () => load(lateProxied, throttled.pageUrl, false, 'late'),
        // The floor's own origin: what the cache costs, without the 20 ms the document and flutter_bootstrap.js wait in every mode above.
        'route: memory hit, zero-latency origin': () => load(plain, floorSite.pageUrl, true),
        'proxy: memory hit, zero-latency origin': () => load(proxied, floorSite.pageUrl, false),
      });
      log(`### The real Flutter page (flutter layout, Netlify headers), warm, ${https ? 'https' : 'http'} (${rounds} rounds)\n`);
      table(rows, 'fresh-context floor (origin without latency)');
      log('main.dart.js, from its request to its first byte (median; resource timing): ' +
        `floor ${waitOf('floor')}, route ${waitOf('route')}, proxy ${waitOf('proxy')}, proxy without early checks ${waitOf('late')} (20 ms origin)\n`);
    } finally {
      await Promise.all([plain.close(), proxied.close(), lateProxied.close()]);
      await Promise.all([cache.close(), lateCache.close()]);
      await Promise.all([throttled.close(), floorSite.close()]);
      await Promise.all([removeDir(dir), removeDir(lateDir)]);
    }
  }
}

/** Does Chromium's own HTTP cache keep working for an intercepted https host? Requests the proxy sees on a second visit in one context. */
async function trust(): Promise<void> {
  const dir = await makeTempDir();
  const site = await startSite({ https: true });
  const cache = await BundleCache.open({ dir });
  const proxy = await cache.proxy({ port: 0, ignoreHTTPSErrors: true });
  const spki = await chromium.launch({ ...base, proxy: proxy.launchOptions.proxy, args: [...base.args, ...proxy.launchOptions.args] });
  const insecure = await chromium.launch({ ...base, proxy: proxy.launchOptions.proxy });
  log('### Chromium\'s HTTP cache behind the proxy (https, legacy page: bundles `max-age=31536000, immutable`)\n');
  log('| trust | requests the proxy read: 1st visit | 2nd visit, same context |\n|---|---:|---:|');
  try {
    for (const [name, browser, ignoreHTTPSErrors] of [['--ignore-certificate-errors-spki-list (the CA\'s SPKI)', spki, false], ['ignoreHTTPSErrors: true', insecure, true]] as const) {
      const context = await browser.newContext({ ignoreHTTPSErrors });
      const page = await context.newPage();
      const counts: number[] = [];
      for (let visit = 0; visit < 2; visit++) {
        const before = proxy.stats().requests;
        await page.goto(`${site.pageUrl}?visit=${visit}`);
        await page.waitForFunction(() => window.__site?.ready || window.__site?.error);
        counts.push(proxy.stats().requests - before);
      }
      await context.close();
      log(`| ${name} | ${counts[0]} | ${counts[1]} |`);
    }
    log('');
  } finally {
    await Promise.all([spki.close(), insecure.close()]);
    await cache.close();
    await site.close();
    await removeDir(dir);
  }
}

const loadAverage = () => os.loadavg().map(load => load.toFixed(2)).join(', ');
log(`Run on ${new Date().toISOString().replace('T', ' ').slice(0, 16)} UTC, Node ${process.version}, ${os.cpus().length} cores, load average ${loadAverage()} (1, 5, 15 min; other people's work shares the machine); \`npx tsx scripts/benchProxy.ts ${process.argv.slice(2).join(' ')}\`\n`);
if (only.has('scraper'))
  await scraper();
if (only.has('flutter'))
  await flutter();
if (only.has('trust'))
  await trust();
if (only.has('fleet'))
  log(await fleetRows(Number(flags.browsers)));
if (only.has('stress'))
  log(await stressRows());
log(`Load average at the end: ${loadAverage()}`);
