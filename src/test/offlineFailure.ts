import { BundleCacheError } from '../errors.js';

/**
 * The error that fails a test whose page asked an offline cache for bundles
 * it does not hold. The page itself only sees a failed request
 * (net::ERR_INTERNET_DISCONNECTED), which says nothing about the cache.
 */
export function offlineFailure(urls: readonly string[], dir: string): BundleCacheError {
  const noun = urls.length === 1 ? 'bundle was' : 'bundles were';
  const message = [
    `bundle-cache is in mode 'offline' and ${urls.length} ${noun} not in the cache at ${dir}; the page's request failed:`,
    ...urls.map(url => `  ${url}`),
    'Fix: warm the cache, then run offline again: run the suite once in mode \'default\' (unset BUNDLE_CACHE_MODE,',
    'or set bundleCache: { mode: \'default\' }), or fetch these bundles with',
    `  npx bundle-cache warm --dir ${shellQuote(dir)} ${urls.map(shellQuote).join(' ')}`,
  ].join('\n');
  return new BundleCacheError('ERR_OFFLINE_MISS', message, { urls: [...urls], dir });
}

/** Quotes for a POSIX shell when needed: a URL's `?` and `&` would otherwise be globbed or split. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll('\'', '\'\\\'\'')}'`;
}
