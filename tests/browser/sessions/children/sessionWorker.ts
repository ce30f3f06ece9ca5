// A separate process, as a Playwright worker or a scraper is: opens the
// cache, waits for "go" on stdin (so that all start at the same moment),
// then opens `contexts` contexts per user at once through the session
// tier and prints what each context showed, and the stats, as one JSON line.
import readline from 'node:readline';
import { chromium } from 'playwright';
import { BundleCache, chromiumLaunchOptions } from '../../../../src/index.js';
import { loginAs, viewApp } from '../../../site/login/browse.js';

const [dir, origin, users, contexts] = process.argv.slice(2) as [string, string, string, string];
const browser = await chromium.launch(chromiumLaunchOptions());
const cache = await BundleCache.open({ dir });
process.stdout.write('ready\n');
const input = readline.createInterface({ input: process.stdin });
await new Promise<void>(resolve => input.once('line', () => resolve()));
input.close();
process.stdin.destroy();
const jobs = users.split(',').flatMap(user => Array.from({ length: Number(contexts) }, () => user));
const views = await Promise.all(jobs.map(async user => {
  const context = await cache.session(user, { warm: loginAs(origin, user) }).newContext(browser);
  try {
    return { session: user, ...await viewApp(await context.newPage(), origin) };
  } finally {
    await context.close();
  }
}));
await cache.close();
await browser.close();
process.stdout.write(JSON.stringify({ views, stats: cache.stats() }) + '\n');
