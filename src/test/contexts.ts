import type { Browser, BrowserContext } from 'playwright';
import type { BundleCache } from '../cache/bundleCache.js';
import { log } from '../log.js';
import { checkChoiceOption } from './choiceOption.js';
import type { BundleCacheContexts } from './types.js';

/** Rejects a bad `bundleCacheContexts` value where it is read, naming the option and the fix. */
export function checkContextsOption(value: unknown): BundleCacheContexts {
  return checkChoiceOption('bundleCacheContexts', value, ['builtin', 'all'], 'all', '');
}

/**
 * Attaches `cache` to every context `browser` creates from now on; returns
 * the function that stops. Playwright emits 'context' before `newContext()`
 * resolves, and `attach()` sends its route before returning to the event
 * loop, so the route is in place before the test can open a page.
 */
export function attachNewContexts(browser: Browser, cache: BundleCache): () => void {
  const onContext = (context: BrowserContext) => {
    cache.attach(context).catch(error => log.debug(`could not attach to a new context: ${(error as Error).message}`));
  };
  browser.on('context', onContext);
  return () => browser.off('context', onContext);
}
