/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) describe one connection, not the
 * message: a proxy removes them, and every header the Connection header
 * names, before it forwards anything. This is the one place that does so,
 * for requests and responses alike.
 */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** Headers a WebSocket (or other) upgrade must carry to the origin: it is negotiated end to end. */
const UPGRADE_HEADERS = new Set(['connection', 'upgrade']);

/**
 * `rawHeaders` (name, value, name, value…, as Node gives them) without the
 * hop-by-hop ones; names keep their case and repeated lines stay repeated.
 * `keepUpgrade` keeps `Connection` and `Upgrade` for an upgrade request.
 */
export function endToEnd(rawHeaders: readonly string[], keepUpgrade = false): string[] {
  const named = new Set<string>();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'connection') {
      for (const token of rawHeaders[i + 1]!.split(','))
        named.add(token.trim().toLowerCase());
    }
  }
  const kept: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    const hop = HOP_BY_HOP.has(name) || named.has(name);
    if (!hop || (keepUpgrade && UPGRADE_HEADERS.has(name)))
      kept.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return kept;
}

/**
 * The end-to-end headers as one record with lower-case names, as the cache
 * reads them: repeated lines joined with `, ` (`; ` for Cookie, as a browser
 * sends it). `host` is left out: the URL says where the request goes.
 */
export function headerRecord(rawHeaders: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  const flat = endToEnd(rawHeaders);
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    if (name === 'host')
      continue;
    const value = flat[i + 1]!;
    record[name] = record[name] === undefined ? value : `${record[name]}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return record;
}
