// Time to a logged-in page per fresh context: logging in every time, as a
// suite without session caching does, against the session cache. Contexts
// are opened one after another, the modes interleaved round-robin so a slow
// moment of the machine hits every mode alike. Prints a Markdown table.
// `npx tsx scripts/bench/sessions.ts [--contexts 20] [--login-delay-ms 2000]`
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type BrowserContext } from 'playwright';
import { BundleCache, chromiumLaunchOptions } from '../../src/index.js';
import { loginAs, viewApp } from '../../tests/site/login/browse.js';
import { startLoginSite } from '../../tests/site/login/server.js';
import { formatMs, median, percentile } from './stats.js';

const { values: flags } = parseArgs({
  options: {
    'contexts': { type: 'string', default: '20' },
    'login-delay-ms': { type: 'string', default: '2000' },
  },
});
const contexts = Number(flags.contexts);
const loginDelayMs = Number(flags['login-delay-ms']);
const progress = (message: string) => process.stderr.write(`${message}\n`);

interface Mode {
  readonly label: string;
  /** A fresh context of `user`, logged in; closed by the caller. */
  open(browser: Browser, user: string): Promise<BrowserContext>;
}

const loadAtStart = os.loadavg()[0]!;
const site = await startLoginSite({ loginDelayMs });
const workDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bundle-cache-bench-sessions-'));
const browser = await chromium.launch(chromiumLaunchOptions());
const shared = await BundleCache.open({ dir: path.join(workDir, 'shared') });
const inMemory = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();
const modes: Mode[] = [
  {
    label: 'log in in every context',
    open: async (target, user) => {
      const context = await target.newContext();
      await loginAs(site.origin, user)(context);
      return context;
    },
  },
  {
    // The least a cache of states can cost: Playwright's own storageState, kept in memory, no file, no lock, no route.
    label: 'storageState kept in memory (hand-rolled, one process)',
    open: async (target, user) => {
      let state = inMemory.get(user);
      if (!state) {
        const warmUp = await target.newContext();
        await loginAs(site.origin, user)(warmUp);
        state = await warmUp.storageState();
        inMemory.set(user, state);
        await warmUp.close();
      }
      return target.newContext({ storageState: state });
    },
  },
  {
    label: 'session cache, one BundleCache',
    open: (target, user) => shared.session(user, { warm: loginAs(site.origin, user) }).newContext(target),
  },
  {
    // As a new worker process is: nothing in memory, the state read from disk.
    label: 'session cache, a new BundleCache per context',
    open: async (target, user) => {
      const cache = await BundleCache.open({ dir: path.join(workDir, 'per-context') });
      const context = await cache.session(user, { warm: loginAs(site.origin, user) }).newContext(target);
      context.once('close', () => void cache.close());
      return context;
    },
  },
];

const samples = new Map<string, number[]>(modes.map(mode => [mode.label, []]));
const logins = new Map<string, number>();
try {
  for (let round = 0; round < contexts; round++) {
    for (const [i, mode] of modes.entries()) {
      const user = `user${i}`;
      const started = performance.now();
      const context = await mode.open(browser, user);
      const view = await viewApp(await context.newPage(), site.origin);
      const ms = performance.now() - started;
      await context.close();
      if (view.api !== user)
        throw new Error(`${mode.label}: context ${round + 1} showed ${JSON.stringify(view)} instead of ${user}'s app`);
      samples.get(mode.label)!.push(ms);
      logins.set(mode.label, site.logins(user));
    }
    progress(`round ${round + 1}/${contexts}`);
  }
  const baseline = median(samples.get(modes[0]!.label)!);
  const lines = [
    `Command: \`npx tsx scripts/bench/sessions.ts${process.argv.slice(2).length ? ` ${process.argv.slice(2).join(' ')}` : ''}\``,
    '',
    `Setup: ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), Chromium ${browser.version()}, the login site of tests/site/login `
      + `(a form POST answered after ${loginDelayMs} ms, an HttpOnly cookie, a localStorage token), ${contexts} fresh contexts per mode, one after another, modes interleaved. `
      + 'Time: from asking for a context to the app page shown with the user\'s name from the API. '
      + `Load average ${loadAtStart.toFixed(1)} at the start, ${os.loadavg()[0]!.toFixed(1)} at the end (other work on the machine).`,
    '',
    '| mode | contexts | logins at the site | median | p95 | first context | rest (median) | median vs logging in every time |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const mode of modes) {
    const values = samples.get(mode.label)!;
    const speedup = baseline / median(values);
    lines.push(`| ${mode.label} | ${values.length} | ${logins.get(mode.label)} | ${formatMs(median(values))} | ${formatMs(percentile(values, 95))} | `
      + `${formatMs(values[0]!)} | ${formatMs(median(values.slice(1)))} | ${speedup.toFixed(1)} × |`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await shared.close();
  await browser.close();
  await site.close();
  await fs.rm(workDir, { recursive: true, force: true });
}
