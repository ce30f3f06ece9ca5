import { chromium } from 'playwright';
import { BundleCache } from 'playwright-bundle-cache';

const cache = await BundleCache.open({ serve: 'loopback' });
const browser = await chromium.launch({ args: await cache.httpsLaunchArgs() });   // accepts the cache's certificate
const context = await browser.newContext();                                      // certificates still checked
await cache.attach(context);                                                     // https hits go through loopback too
