import { BundleCacheError } from '../errors.js';
import { describeValue } from '../options/describeValue.js';

/**
 * How the worker's browser reaches the cache:
 * - `'route'`: `context.route()` on the test's context (Node only; turns
 *   Chromium's own HTTP cache off for that context);
 * - `'proxy'`: the browser is launched through `cache.proxy()` on 127.0.0.1,
 *   trusting its CA by its SPKI: every context of the worker is served,
 *   no route is installed, Chromium's HTTP cache stays on.
 */
export type BundleCacheVia = 'route' | 'proxy';

const CHOICES: readonly BundleCacheVia[] = ['route', 'proxy'];

/** Rejects a bad `bundleCacheVia` value where it is read, naming the option and the fix. */
export function checkViaOption(value: unknown): BundleCacheVia {
  if ((CHOICES as readonly unknown[]).includes(value))
    return value as BundleCacheVia;
  throw new BundleCacheError('ERR_OPTIONS',
      `Fixture option "bundleCacheVia" is invalid: expected 'route' or 'proxy'; got ${describeValue(value)}. ` +
      'Fix: set it in playwright.config.ts (use: { bundleCacheVia: \'proxy\' }) or with test.use({ bundleCacheVia: \'proxy\' }) at the top of a file.',
      { option: 'bundleCacheVia', received: value });
}
