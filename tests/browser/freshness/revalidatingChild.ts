// A separate process with its own Chromium, run by processes.spec.ts. Each
// `visit <epoch ms>` line on stdin opens a new BundleCache on the shared dir
// (a new run) whose clock stands still at that instant, loads the Flutter
// app once in a fresh context, closes both and prints a JSON line with the
// cache's stats and the page's report. `exit` ends it.
import readline from 'node:readline';
import { chromium } from 'playwright';
import { BundleCache, chromiumLaunchOptions, type RevalidateMode } from '../../../src/index.js';
import { loadFlutterApp } from '../../site/server.js';

const [dir, url, revalidate] = process.argv.slice(2) as [string, string, RevalidateMode];
const browser = await chromium.launch(chromiumLaunchOptions());
process.stdout.write('ready\n');
for await (const line of readline.createInterface({ input: process.stdin })) {
  const [command, at] = line.split(' ');
  if (command !== 'visit')
    break;
  const instant = Number(at);
  const cache = await BundleCache.open({ dir, revalidate, now: () => instant });
  const context = await browser.newContext();
  await cache.attach(context);
  const report = await loadFlutterApp(await context.newPage(), url);
  await context.close();
  await cache.close();
  process.stdout.write(JSON.stringify({ stats: cache.stats(), report }) + '\n');
}
await browser.close();
