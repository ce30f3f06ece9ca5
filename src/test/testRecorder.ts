import type { BundleCache } from '../cache/bundleCache.js';
import { isBundleCacheError, type BundleCacheError } from '../errors.js';
import type { BundleCacheStats, ServedEvent } from '../types.js';
import { LISTED_BUNDLES, statsDelta, type BundleCacheTestReport, type NoValidatorsBundle, type ServedBundle } from './testReport.js';

/**
 * Watches the worker's cache for the length of one test. Tests of a worker
 * run one after another, so what the cache does meanwhile is the test's own.
 */
export class TestRecorder {
  readonly #cache: BundleCache;
  readonly #before: BundleCacheStats;
  readonly #bundles: ServedBundle[] = [];
  #bundlesNotListed = 0;
  readonly #offlineMisses = new Set<string>();
  readonly #noValidators: NoValidatorsBundle[] = [];

  private constructor(cache: BundleCache) {
    this.#cache = cache;
    this.#before = cache.stats();
    cache.on('served', this.#onServed);
    cache.on('problem', this.#onProblem);
  }

  static start(cache: BundleCache): TestRecorder {
    return new TestRecorder(cache);
  }

  /** Stops listening; returns the test's numbers and the URLs an offline cache could not serve. */
  stop(): { report: BundleCacheTestReport; offlineMisses: string[] } {
    this.#cache.off('served', this.#onServed);
    this.#cache.off('problem', this.#onProblem);
    const report: BundleCacheTestReport = {
      mode: this.#cache.mode,
      dir: this.#cache.dir,
      ...statsDelta(this.#before, this.#cache.stats()),
      bundles: this.#bundles,
      bundlesNotListed: this.#bundlesNotListed,
      noValidators: this.#noValidators,
    };
    return { report, offlineMisses: [...this.#offlineMisses] };
  }

  readonly #onServed = (event: ServedEvent): void => {
    if (this.#bundles.length < LISTED_BUNDLES)
      this.#bundles.push({ url: event.url, source: event.source, bytes: event.bytes });
    else
      this.#bundlesNotListed++;
  };

  readonly #onProblem = (error: BundleCacheError): void => {
    if (isBundleCacheError(error, 'ERR_OFFLINE_MISS') && typeof error.details.url === 'string')
      this.#offlineMisses.add(error.details.url);
    if (isBundleCacheError(error, 'ERR_NO_VALIDATORS') && typeof error.details.url === 'string' && typeof error.details.size === 'number')
      this.#noValidators.push({ url: error.details.url, size: error.details.size });
  };
}
