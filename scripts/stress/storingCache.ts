import { BundleCache, type BundleRule } from '../../src/index.js';
import type { BundleCacheInternals } from '../../src/cache/bundleCache.js';

/** The stress origin's bundles: every `.js` it serves is cached. */
export const STRESS_RULES: BundleRule[] = [{ match: '**/*.js', name: 'stress' }];

/**
 * A cache on which every `warm()` fetches and stores again: refresh mode with
 * a run stamp in the future (every entry counts as stored before this run),
 * no memory tier. `rules`: the stress origin's, or `null` for the default rules.
 */
export function openStoringCache(dir: string, internals: BundleCacheInternals = {}, rules: BundleRule[] | null = STRESS_RULES): Promise<BundleCache> {
  return BundleCache.open({ dir, mode: 'refresh', memory: { maxBytes: 0 }, ...(rules ? { rules } : {}) }, { runStartedAt: Number.MAX_SAFE_INTEGER, ...internals });
}
