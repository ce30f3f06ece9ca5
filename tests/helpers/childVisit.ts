// A separate process that opens the cache, waits for "go" on stdin (so that
// several start at the same moment), loads the app once, and prints a JSON
// line with its stats and the page's report.
import { chromium } from 'playwright';
import { BundleCache, chromiumLaunchOptions } from '../../src/index.js';
import { loadApp } from '../site/server.js';
import { nextStdinLine, say } from './stdin.js';

const [dir, url] = process.argv.slice(2) as [string, string];
const browser = await chromium.launch(chromiumLaunchOptions());
const cache = await BundleCache.open({ dir });
const context = await browser.newContext();
await cache.attach(context);
const page = await context.newPage();
say('ready');
await nextStdinLine();
process.stdin.destroy();
const report = await loadApp(page, url);
await context.close();
await cache.close();
await browser.close();
say({ stats: cache.stats(), report });
