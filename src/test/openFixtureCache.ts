import { BundleCache } from '../cache/bundleCache.js';
import { BundleCacheError, isBundleCacheError } from '../errors.js';
import type { BundleCacheOptions } from '../types.js';
import { runStartedAt } from './runStart.js';

/** The worker's cache, and whether the fixture opened it (and so must close it). */
export interface FixtureCache {
  cache: BundleCache;
  owned: boolean;
}

/**
 * Opens the cache from the `bundleCache` option's value. An already opened
 * cache (the `bundleCache` fixture's, or one a user passed in) is used as is
 * and left to its owner to close.
 */
export async function openFixtureCache(value: BundleCacheOptions | BundleCache | undefined): Promise<FixtureCache> {
  if (value instanceof BundleCache)
    return { cache: value, owned: false };
  try {
    // An injected clock is not wall time: the run then starts at open(), by that clock.
    return { cache: await BundleCache.open(value, value?.now ? {} : { runStartedAt: runStartedAt() }), owned: true };
  } catch (error) {
    throw isBundleCacheError(error, 'ERR_OPTIONS') ? fixtureOptionsError(error) : error;
  }
}

/**
 * Keeps the engine's message (which names the option, the value and the fix)
 * and says where the value lives in a test suite. No `cause`: Playwright
 * would print the same message twice.
 */
function fixtureOptionsError(error: BundleCacheError): BundleCacheError {
  const option = String(error.details.option ?? '');
  // BUNDLE_CACHE_MODE is an environment variable: its message already says what to do.
  if (option.startsWith('BUNDLE_CACHE_'))
    return error;
  const name = option && option !== 'options' ? `bundleCache.${option}` : 'bundleCache';
  const message = `${error.message}\n` +
    `The fixture option ${name} is set in playwright.config.ts (use: { bundleCache: { ... } }) or in a test file (test.use({ bundleCache: { ... } })).`;
  return new BundleCacheError('ERR_OPTIONS', message, { ...error.details, option: name });
}
