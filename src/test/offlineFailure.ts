import { BundleCacheError } from '../errors.js';

/**
 * The error that fails a test whose page asked an offline cache for bundles
 * it does not hold. The page itself only sees a failed request
 * (net::ERR_INTERNET_DISCONNECTED), which says nothing about the cache.
 */
export function offlineFailure(urls: readonly string[], dir: string): BundleCacheError {
  const list = urls.map(url => `  ${url}`).join('\n');
  const noun = urls.length === 1 ? 'bundle was' : 'bundles were';
  const message = [
    `bundle-cache is in mode 'offline' and ${urls.length} ${noun} not in the cache at ${dir}; the page's request failed:`,
    list,
    'Fix: warm the cache, then run offline again: run the suite once with mode \'default\' (unset BUNDLE_CACHE_MODE, or set',
    `bundleCache: { mode: 'default' }), or fetch them with \`npx bundle-cache warm <url> --dir ${dir}\`.`,
  ].join('\n');
  return new BundleCacheError('ERR_OFFLINE_MISS', message, { urls: [...urls], dir });
}
