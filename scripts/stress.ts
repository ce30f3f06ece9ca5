// `npm run stress`: the long variant of the guarantee suite (the fast one is
// in `npm test`, tests/{unit,browser}/guarantees). Runs every scenario with
// the sizes the guarantees are stated for and prints one Markdown table:
// promise | scenario | iterations | failures | time, then the figures.
// `npm run stress -- --only 3,6` runs some promises only.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { chromium, type Browser } from 'playwright';
import { chromiumLaunchOptions } from '../src/index.js';
import { startSite, type Site } from '../tests/site/server.js';
import type { Outcome } from './stress/outcome.js';
import { blockedLoop } from './stress/scenarios/blockedLoop.js';
import { corruption, warmApp } from './stress/scenarios/corruption.js';
import { crashSafety } from './stress/scenarios/crashSafety.js';
import { faultMatrix } from './stress/scenarios/faults.js';
import { fleet } from './stress/scenarios/fleet.js';
import { hostileUrls } from './stress/scenarios/hostileUrls.js';
import { load } from './stress/scenarios/load.js';
import { manyWriters } from './stress/scenarios/manyWriters.js';
import { oneFetch } from './stress/scenarios/oneFetch.js';
import { pageFaults } from './stress/scenarios/pageFaults.js';
import { pageLoader } from './stress/scenarios/pageLoader.js';
import { revalidationRaces } from './stress/scenarios/revalidationRaces.js';
import { permissions } from './stress/scenarios/permissions.js';
import { secrets } from './stress/scenarios/secrets.js';
import { sessionWarmups } from './stress/scenarios/sessionWarmups.js';
import { formatDetails, formatDuration, formatTable, type Row } from './stress/table.js';

const MB = 1024 * 1024;

interface Needs {
  browser: Browser;
  site: Site;
}

const SCENARIOS: Array<{ promise: number; run: (needs: Needs) => Promise<Outcome> }> = [
  { promise: 1, run: () => manyWriters({ processes: 8, oneKey: 200, spread: 200, keys: 50 }) },
  { promise: 2, run: () => oneFetch({ processes: 8, rounds: 10, via: 'warm' }) },
  { promise: 2, run: () => oneFetch({ processes: 8, rounds: 3, via: 'browser' }) },
  // Every lock a killed writer leaves is aged past the stale time (what waiting does), except at three
  // iterations, where the next writer waits for it for real: that proves the default 10 s.
  { promise: 3, run: () => crashSafety({ iterations: 200, staleMs: 10_000, realWaits: new Set([49, 119, 189]) }) },
  { promise: 4, run: () => faultMatrix({ every: true }) },
  { promise: 4, run: ({ browser, site }) => pageFaults({ browser, site, rounds: 1 }) },
  { promise: 5, run: ({ site }) => corruption({ site, load: warmApp, via: 'warm()', rounds: 5 }) },
  { promise: 5, run: ({ browser, site }) => corruption({ site, load: pageLoader(browser), via: 'a page', rounds: 1 }) },
  { promise: 6, run: () => blockedLoop({ staleMs: 2000, rounds: 3 }) },
  { promise: 6, run: () => blockedLoop({ staleMs: 10_000, rounds: 1 }) },
  { promise: 7, run: () => hostileUrls({ rounds: 20 }) },
  { promise: 8, run: () => secrets({ rounds: 20 }) },
  { promise: 9, run: () => permissions({ rounds: 20 }) },
  { promise: 10, run: ({ browser }) => load({ browser, loads: 1000, memoryBytes: 50 * MB, builds: 10, marginBytes: 150 * MB }) },
  // The promises of sessions, freshness and the remote tier (docs/guarantees.md 11, 19, 23-24), larger than their tests.
  { promise: 11, run: () => sessionWarmups({ processes: 4, users: 3, contexts: 3, rounds: 3 }) },
  { promise: 19, run: () => revalidationRaces({ processes: 8, waves: 30 }) },
  { promise: 23, run: () => fleet({ machines: 4, rounds: 3 }) },
];

function selected(): Set<number> | undefined {
  const at = process.argv.indexOf('--only');
  return at < 0 ? undefined : new Set(process.argv[at + 1]?.split(',').map(Number));
}

function conditions(): string {
  const [one, five] = os.loadavg();
  return `${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim()}), load average ${one!.toFixed(1)} / ${five!.toFixed(1)}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, ${os.type()} ${os.release()}`;
}

async function main(): Promise<void> {
  const only = selected();
  const browser = await chromium.launch(chromiumLaunchOptions());
  const site = await startSite();
  const rows: Row[] = [];
  const before = conditions();
  const started = performance.now();
  try {
    for (const scenario of SCENARIOS.filter(({ promise }) => !only || only.has(promise))) {
      const at = performance.now();
      const outcome = await scenario.run({ browser, site }).catch((error: Error): Outcome => ({
        promise: scenario.promise, scenario: 'crashed', iterations: 0, failures: [`the scenario threw: ${error.stack ?? error.message}`], figures: {},
      }));
      rows.push({ outcome, ms: performance.now() - at });
      console.error(`${outcome.promise}. ${outcome.scenario}: ${outcome.iterations} iterations, ${outcome.failures.length} failures, ${formatDuration(performance.now() - at)}`);
    }
  } finally {
    await site.close();
    await browser.close();
  }
  console.log(`Guarantee stress run, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, ${formatDuration(performance.now() - started)} in all`);
  console.log(`At start: ${before}`);
  console.log(`At end:   ${conditions()}\n`);
  console.log(formatTable(rows));
  console.log(`\n${formatDetails(rows)}`);
  if (rows.some(({ outcome }) => outcome.failures.length))
    process.exitCode = 1;
}

await main();
