import type { Headers } from './storePolicy.js';

/**
 * Whether the end of a fetched body is proven, so that storing it cannot
 * make a cut-off download permanent. Node's HTTP parser (under
 * `route.fetch()`) fails a response whose Content-Length it did not get in
 * full, or whose chunked encoding lacks its last chunk, so either framing
 * proves the end. Nothing proves it for a body that ended where the
 * connection closed (a reset looks the same on Linux), nor for a compressed
 * one: Playwright decodes leniently, so a gzip stream cut short decodes to
 * its first half without an error. The cache asks for `identity` for that
 * reason; an origin that compresses anyway is served, not stored.
 * Returns undefined when proven, else the reason it is not.
 */
export function unprovenEnd(responseHeaders: Headers, bodyLength: number): string | undefined {
  const encoding = (responseHeaders['content-encoding'] ?? '').trim().toLowerCase();
  if (encoding && encoding !== 'identity')
    return `compressed (content-encoding: ${encoding}), so its end cannot be verified once decoded`;
  const length = responseHeaders['content-length'];
  if (length !== undefined) {
    const expected = Number(length);
    if (!/^\d+$/.test(length.trim()) || expected !== bodyLength)
      return `${bodyLength} bytes received, Content-Length says ${length}`;
    return undefined;
  }
  if (/(^|,)\s*chunked\s*$/i.test(responseHeaders['transfer-encoding'] ?? ''))
    return undefined;
  return 'no Content-Length and not chunked: the body ended where the connection closed, which a reset looks like too';
}

/** What the cache asks of the origin for a body it may store: no compression, so the framing proves the end. */
export const STORABLE_ENCODING = { 'accept-encoding': 'identity' } as const;
