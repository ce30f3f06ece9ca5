import { chromiumLaunchOptions } from '../../../browser/findChromium.js';
import type { BundleCache } from '../../../cache/bundleCache.js';
import type { ServedEvent } from '../../../types.js';
import { describeFailure } from '../../format/failure.js';
import type { OutStream } from '../../io.js';
import { mapLimit } from '../../mapLimit.js';
import { createProgress } from '../../progress.js';
import type { PageOutcome, WarmItem } from './warmItem.js';

const NAVIGATION_TIMEOUT_MS = 60_000;
/** Flutter starts fetching its bundles after `load`; wait for the network to go quiet, but not forever. */
const SETTLE_TIMEOUT_MS = 15_000;

/**
 * Loads each page in headless Chromium with the cache attached, so every
 * bundle the page pulls (the ones the rules match) goes through the cache.
 * Each bundle is reported once, with what happened the first time.
 */
export async function warmPages(
  cache: BundleCache,
  urls: readonly string[],
  options: { concurrency: number; ignoreHttpsErrors: boolean },
  stderr: OutStream,
): Promise<{ pages: PageOutcome[]; items: WarmItem[] }> {
  // playwright is a peer dependency: load it only for --page.
  const { chromium } = await import('playwright');
  const items = new Map<string, WarmItem>();
  const onServed = (event: ServedEvent) => {
    if (!items.has(event.url))
      items.set(event.url, { url: event.url, outcome: event.source !== 'network' ? 'fresh' : event.stored ? 'stored' : 'not-stored', bytes: event.bytes, reason: null, revalidated: event.revalidated });
  };
  cache.on('served', onServed);
  const browser = await chromium.launch({ ...chromiumLaunchOptions(), headless: true });
  const progress = createProgress(stderr, urls.length, 'warm --page');
  let done = 0;
  try {
    const context = await browser.newContext({ ignoreHTTPSErrors: options.ignoreHttpsErrors });
    await cache.attach(context);
    const pages = await mapLimit(urls, options.concurrency, async url => {
      const outcome = await loadPage(await context.newPage(), url);
      progress.update(++done, `${items.size} bundles`);
      return outcome;
    });
    await context.close();
    return { pages, items: [...items.values()] };
  } finally {
    progress.finish();
    cache.off('served', onServed);
    await browser.close();
  }
}

async function loadPage(page: import('playwright').Page, url: string): Promise<PageOutcome> {
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: NAVIGATION_TIMEOUT_MS });
    await page.waitForLoadState('networkidle', { timeout: SETTLE_TIMEOUT_MS }).catch(() => {});
    const status = response?.status() ?? null;
    const ok = status === null || status < 400;
    return { url, ok, status, error: ok ? null : `HTTP ${status}` };
  } catch (error) {
    return { url, ok: false, status: null, error: describeFailure(error) };
  } finally {
    await page.close().catch(() => {});
  }
}
