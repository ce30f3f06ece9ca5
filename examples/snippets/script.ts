import { chromium } from 'playwright';
import { BundleCache } from 'playwright-bundle-cache';

const cache = await BundleCache.open({ dir: './cache' });   // every option is optional
const browser = await chromium.launch();
for (const url of ['https://app.example.com/', 'https://app.example.com/orders']) {
  const context = await browser.newContext();
  await cache.attach(context);                               // bundles now come from the cache
  await (await context.newPage()).goto(url);
  await context.close();
}
console.log(cache.stats());                                  // hits, misses, bytes saved…
await cache.close();
await browser.close();
