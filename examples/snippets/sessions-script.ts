import { chromium } from 'playwright';
import { BundleCache } from 'playwright-bundle-cache';

const cache = await BundleCache.open({ dir: './cache' });
const browser = await chromium.launch();
const alice = cache.session('alice', {
  warm: async context => {                       // a fresh context of its own: log in with its pages
    const page = await context.newPage();
    await page.goto('https://app.example.com/login');
    await page.fill('#user', 'alice');
    await page.fill('#password', process.env.ALICE_PASSWORD!);
    await page.click('button[type=submit]');
    await page.waitForURL('**/dashboard');
  },
  ttl: '1h',                                     // default '1h'
  rewarmOn: [403, 452],                          // default; or (response: Response) => boolean | Promise<boolean>
});

const context = await alice.newContext(browser, { locale: 'en-US' });   // alice's state, the bundle cache attached
const state = await alice.storageState();        // Playwright's storageState object, warming first if needed
const total = await alice.run(browser, async context => {               // returns what the function returns
  const page = await context.newPage();
  await page.goto('https://app.example.com/orders');
  return page.locator('.order').count();
});                                              // rejected meanwhile? warmed again, run once more
await alice.invalidate();                        // drop it: the next use warms again
console.log(state.cookies.length, total);
await context.close();
await cache.close();
await browser.close();
