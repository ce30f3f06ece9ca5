import { chromium } from 'playwright';
import { BundleCache } from 'playwright-bundle-cache';

const cache = await BundleCache.open({ dir: './cache' });
const proxy = await cache.proxy({ port: 0 });                  // { port?, hosts?, ignoreHTTPSErrors? }
const browser = await chromium.launch(proxy.launchOptions);    // { proxy: { server }, args: [the SPKI flag] }
// or: chromium.launch({ args: proxy.trustArgs }) + browser.newContext(proxy.contextOptions)
// any Chromium: proxy.chromiumArgs; Firefox: proxy.caCertificatePath
await (await browser.newPage()).goto('https://app.example.com/');
await browser.close();
await cache.close();                                           // closes the proxy first
