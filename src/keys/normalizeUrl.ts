const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * The canonical form of a URL for cache keys: scheme and host lower-cased and
 * default ports dropped (the WHATWG parser does that), credentials and the
 * fragment removed (they never reach the server and must never reach disk),
 * percent-escapes of unreserved characters decoded and the others upper-cased.
 * Path case, query order and Unicode normalization are kept: the server may
 * tell those apart, and a cache must never merge two resources.
 */
export function normalizeUrl(input: string | URL): string {
  const url = new URL(input);
  url.username = '';
  url.password = '';
  url.hash = '';
  url.pathname = normalizeEscapes(url.pathname);
  // An empty query (`a.js?`) is the same resource as none; the parser keeps the `?` in href.
  url.search = url.search ? normalizeEscapes(url.search) : '';
  return url.href;
}

function normalizeEscapes(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/** The cache key: method and normalized URL. */
export function cacheKey(method: string, url: string | URL): string {
  return `${method.toUpperCase()} ${normalizeUrl(url)}`;
}
