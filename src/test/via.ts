import { checkChoiceOption } from './choiceOption.js';

/**
 * How the worker's browser reaches the cache:
 * - `'route'`: `context.route()` on the test's context (Node only; turns
 *   Chromium's own HTTP cache off for that context);
 * - `'proxy'`: the browser is launched through `cache.proxy()` on 127.0.0.1,
 *   trusting its CA by its SPKI: every context of the worker is served,
 *   no route is installed, Chromium's HTTP cache stays on.
 */
export type BundleCacheVia = 'route' | 'proxy';

/** Rejects a bad `bundleCacheVia` value where it is read, naming the option and the fix. */
export function checkViaOption(value: unknown): BundleCacheVia {
  return checkChoiceOption('bundleCacheVia', value, ['route', 'proxy'], 'proxy', ' at the top of a file');
}
