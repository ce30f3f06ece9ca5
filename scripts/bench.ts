// `npm run bench`: page-ready of the Flutter-like page, of the real
// `flutter build web` layout served with must-revalidate (Netlify), and of
// 5/20/50 MB synthetic bundles, in fresh contexts, across caching strategies,
// loaded round-robin. Prints Markdown and writes docs/bench.md and docs/bench.svg.
// Flags: --rounds 20 --bandwidth-mbit 100 --latency-ms 20 --sizes 5,20,50
//        --rss-loads 500 --quick (3 rounds, 5 MB only, 50 RSS loads)
//        --only real,must-revalidate,5mb (those pages only, no micro-benchmarks,
//        tracing or RSS; prints only, unless --out <file.md>)
// The fleet scenario (machines sharing a remote) runs last and writes
// docs/bench-fleet.md: --machines 4 --fleet-rounds 5; --fleet runs it alone
// (--only skips it).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../src/index.js';
import { chartSvg } from './bench/chart.js';
import { runFleet } from './bench/fleet.js';
import { fleetMarkdown } from './bench/fleetReport.js';
import { diskReadMs, lookupOverheadMs } from './bench/micro.js';
import { MUST_REVALIDATE_MODES, MUST_REVALIDATE_ONLY, MUST_REVALIDATE_PAGE, mustRevalidateTable, mustRevalidateTarget } from './bench/freshness.js';
import { makeWorkDir, MODES, type BenchPage } from './bench/modes.js';
import { Origins } from './bench/origins.js';
import { pageTargets, resultsTable, summarize, targetsTable, type Summary, type Target } from './bench/report.js';
import { rssOverLoads } from './bench/rssLoads.js';
import { runPage } from './bench/runPage.js';
import { formatMB } from './bench/stats.js';
import { traceSizes } from './bench/traceCheck.js';

const { values: flags } = parseArgs({
  options: {
    'rounds': { type: 'string', default: '20' },
    'bandwidth-mbit': { type: 'string', default: '100' },
    'latency-ms': { type: 'string', default: '20' },
    'sizes': { type: 'string', default: '5,20,50' },
    'rss-loads': { type: 'string', default: '500' },
    'quick': { type: 'boolean', default: false },
    'only': { type: 'string' },
    'out': { type: 'string' },
    'fleet': { type: 'boolean', default: false },
    'machines': { type: 'string', default: '4' },
    'fleet-rounds': { type: 'string', default: '5' },
  },
});
const fleetOnly = flags.fleet!;
const machines = Number(flags.machines);
const fleetRounds = flags.quick ? 2 : Number(flags['fleet-rounds']);
const rounds = flags.quick ? 3 : Number(flags.rounds);
const sizes = (flags.quick ? '5' : flags.sizes!).split(',').filter(Boolean).map(Number);
const rssLoads = flags.quick ? 50 : Number(flags['rss-loads']);
const bandwidthMbit = Number(flags['bandwidth-mbit']);
const latencyMs = Number(flags['latency-ms']);
const progress = (message: string) => process.stderr.write(`${message}\n`);
const WARM_MODE = "bundle cache: memory hit (serve 'loopback')";

const allPages: Array<BenchPage & { key: string }> = [
  { key: 'real', label: 'real page', path: '/' },
  { key: 'must-revalidate', ...MUST_REVALIDATE_PAGE },
  ...sizes.map(megabytes => ({ key: `${megabytes}mb`, label: `${megabytes} MB bundle`, path: `/synthetic-${megabytes}mb.html` })),
];
const only = flags.only?.split(',').map(key => key.trim()).filter(Boolean);
const unknown = only?.filter(key => !allPages.some(page => page.key === key)) ?? [];
if (unknown.length)
  throw new Error(`--only: unknown page ${unknown.join(', ')}; use ${allPages.map(page => page.key).join(', ')} (sizes come from --sizes)`);
const pages = only ? allPages.filter(page => only.includes(page.key)) : allPages;
const modesOf = (page: BenchPage) => page.site === 'flutter'
  ? MODES.filter(mode => MUST_REVALIDATE_MODES.includes(mode.name))
  : MODES.filter(mode => (page.path === '/' || mode.synthetic) && !MUST_REVALIDATE_ONLY.includes(mode.name));

const loadAtStart = os.loadavg()[0]!;
const launchOptions = chromiumLaunchOptions();
const workDir = await makeWorkDir();
const origins = await Origins.start({ bandwidthBytesPerSec: bandwidthMbit * 125_000, latencyMs, syntheticMegabytes: fleetOnly ? [] : sizes });
const docs = path.resolve(import.meta.dirname, '../docs');
const command = `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;

/** Cores and Chromium version, for the Setup line. */
async function machineSetup(): Promise<string> {
  const browser = await chromium.launch(launchOptions);
  const version = browser.version();
  await browser.close();
  return `${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Chromium ${version}`;
}

/** Micro-benchmarks, tracing and RSS: the full run's extra targets. */
async function extraTargets(): Promise<Target[]> {
  progress('micro-benchmarks');
  const lookupMs = lookupOverheadMs();
  const readMs = await diskReadMs(await fs.mkdtemp(path.join(workDir, 'micro-')), 5);
  const browser = await chromium.launch(launchOptions);
  progress('tracing');
  const traces = await traceSizes(browser, `${origins.throttled}/`, workDir);
  progress(`RSS over ${rssLoads} loads`);
  const rss = await rssOverLoads(browser, `${origins.throttled}/`, workDir, rssLoads, progress);
  await browser.close();
  const rssGrowth = rss.peakRssBytes - rss.baselineRssBytes;
  const noCacheTrace = traces.find(trace => trace.setup === 'no cache')!.bytes;
  const loopbackTrace = traces.find(trace => trace.setup.includes("'loopback'"))!.bytes;
  return [
    { target: 'lookup overhead per hit (rule + key + memory lookup) < 0.05 ms median', measured: `${lookupMs.toFixed(4)} ms`, met: lookupMs < 0.05 },
    { target: 'disk hit read + sha256 check of a 5 MB body < 10 ms median', measured: `${readMs.toFixed(2)} ms`, met: readMs < 10 },
    { target: `Node peak RSS growth over ${rss.loads} loads ≤ memory.maxBytes + 20 % (${formatMB(rss.memoryBudgetBytes * 1.2)})`, measured: `${formatMB(rssGrowth)} (baseline ${formatMB(rss.baselineRssBytes)}, peak ${formatMB(rss.peakRssBytes)})`, met: rssGrowth <= rss.memoryBudgetBytes * 1.2 },
    { target: 'with tracing on, a hit does not put the body into the trace', measured: traces.map(trace => `${trace.setup}: ${formatMB(trace.bytes)}`).join('; '), met: loopbackTrace <= noCacheTrace * 1.05 },
  ];
}

/** The page benchmarks (and, on a full run, micro-benchmarks, tracing and RSS): docs/bench.md and docs/bench.svg. */
async function pageBench(): Promise<void> {
  const summaries: Summary[] = [];
  for (const page of pages) {
    progress(`${page.label}:`);
    summaries.push(...summarize(await runPage({ page, modes: modesOf(page), origins, launchOptions, workDir, rounds, progress })));
  }
  const targets: Target[] = [
    ...pageTargets(summaries, WARM_MODE, pages.map(page => page.label).filter(label => label === 'real page' || label === '20 MB bundle')),
    ...mustRevalidateTarget(summaries),
    ...only ? [] : await extraTargets(),
  ];
  const setup = `${await machineSetup()}, `
    + `origin ${bandwidthMbit} Mbit/s + ${latencyMs} ms per response, ${rounds} loads per mode (round-robin, a new order each round), fresh context per load unless stated, `
    + `load average ${loadAtStart.toFixed(1)} at the start and ${os.loadavg()[0]!.toFixed(1)} at the end`;
  const markdown = [
    `Command: \`${command}\``,
    '',
    `Setup: ${setup}. Bundles of the real page: ${formatMB(origins.bundleBytes.real!)}; of the must-revalidate page: ${formatMB(origins.bundleBytes['must-revalidate']!)}.`,
    '',
    resultsTable(summaries),
    ...pages.some(page => page.site === 'flutter') ? ['', mustRevalidateTable(summaries)] : [],
    '',
    targetsTable(targets),
    '',
  ].join('\n');
  process.stdout.write(`${markdown}\n`);
  const out = flags.out ?? (only ? undefined : path.join(docs, 'bench.md'));
  if (out) {
    await fs.mkdir(path.dirname(out), { recursive: true });
    await fs.writeFile(out, markdown);
  }
  if (!only)
    await fs.writeFile(path.join(docs, 'bench.svg'), chartSvg(summaries, `Median page-ready (p95 whisker), ${bandwidthMbit} Mbit/s + ${latencyMs} ms origin`));
  progress(out ? `wrote ${out}${only ? '' : ' and bench.svg'}` : 'not written anywhere (--only without --out)');
}

/** Machines sharing a remote: docs/bench-fleet.md. */
async function fleetBench(): Promise<void> {
  progress('fleet:');
  const fleet = await runFleet({ origins, workDir, machines, rounds: fleetRounds, progress });
  const setup = `${await machineSetup()}, origin ${bandwidthMbit} Mbit/s + ${latencyMs} ms per response, real redis-server and nginx (WebDAV) on 127.0.0.1`;
  const markdown = [`Command: \`${command}\``, '', `Setup: ${setup}.`, '', fleetMarkdown(fleet, origins.bundleBytes.real!), ''].join('\n');
  process.stdout.write(`${markdown}\n`);
  await fs.mkdir(docs, { recursive: true });
  await fs.writeFile(path.join(docs, 'bench-fleet.md'), markdown);
  progress(`wrote ${path.join(docs, 'bench-fleet.md')}`);
}

try {
  if (!fleetOnly)
    await pageBench();
  if (!only)
    await fleetBench();
} finally {
  await origins.close();
  await fs.rm(workDir, { recursive: true, force: true });
}
