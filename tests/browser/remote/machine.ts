// One "machine" of a fleet: its own process, cache dir, BundleCache and
// Chromium, driven by JSON lines on stdin (see machines.ts), answering with
// one JSON line on stdout per command.
import readline from 'node:readline';
import { chromium } from 'playwright';
import { BundleCache, chromiumLaunchOptions, type BundleCacheOptions, type ServedEvent } from '../../../src/index.js';
import { loadApp } from '../../site/server.js';
import type { LoadContext, MachineCommand, MachineProblem } from './machines.js';

const { options, frozenClock } = JSON.parse(process.argv[2]!) as { options: BundleCacheOptions; frozenClock: boolean };
// The clock can be moved forward (a breaker's cooldown passing) without waiting for it, and frozen between moves.
const started = Date.now();
let offsetMs = 0;
const cache = await BundleCache.open({ ...options, now: () => (frozenClock ? started : Date.now()) + offsetMs });
const browser = await chromium.launch(chromiumLaunchOptions());
let served: ServedEvent[] = [];
let problems: MachineProblem[] = [];
cache.on('served', event => served.push(event));
cache.on('problem', error => problems.push({ code: error.code, message: error.message }));

function answer(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** What happened since the last answer. */
function news(): { served: ServedEvent[]; problems: MachineProblem[] } {
  const result = { served, problems };
  served = [];
  problems = [];
  return result;
}

async function load(url: string, options: LoadContext = {}) {
  const context = await browser.newContext({ extraHTTPHeaders: options.extraHTTPHeaders });
  try {
    if (options.cookies)
      await context.addCookies([...options.cookies]);
    await cache.attach(context);
    const page = await context.newPage();
    const started = performance.now();
    const report = await loadApp(page, url, { timeout: 90_000 });
    return { report, readyMs: performance.now() - started };
  } finally {
    await context.close();
  }
}

answer({ ready: true });
for await (const line of readline.createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as MachineCommand;
  if (command.op === 'load') {
    const loaded = await load(command.url, command.context);
    answer({ ...loaded, ...news(), stats: cache.stats() });
  } else if (command.op === 'advance') {
    offsetMs += command.ms;
    answer({ offsetMs });
  } else {
    await cache.close();
    await browser.close();
    answer({ ...news(), stats: cache.stats() });
    break;
  }
}
process.stdin.destroy();
