/** What one proxy did since it started (the cache's own counters are `cache.stats()`). */
export interface ProxyStats {
  /** Client connections accepted. */
  connections: number;
  /** `CONNECT`s passed through as blind TCP tunnels (hosts no rule can match). */
  tunnels: number;
  /** `CONNECT`s whose TLS the proxy terminated, to read the requests inside. */
  intercepted: number;
  /** HTTP requests the proxy read: plain ones, and those inside intercepted HTTPS. */
  requests: number;
  /** Answered by the cache: a hit, or a miss it fetched (and stored when allowed). */
  fromCache: number;
  /** Cacheable, but the origin's answer may not be kept (a cookie, `private`, not a 200): served as it came. */
  fromOrigin: number;
  /** Streamed to the origin and back untouched. */
  passedThrough: number;
  /** Body bytes streamed back from origins for passed-through requests. */
  bytesStreamed: number;
  /** Refused: malformed requests or CONNECTs, too-long URLs or headers, slow clients, loops (4xx, 508). */
  rejected: number;
  /** Origins that could not be reached or failed mid-request (502, 504). */
  upstreamFailures: number;
  /** Offline mode and not cached (504). */
  offline: number;
}

export type ProxyCounters = ProxyStats;

export function emptyProxyStats(): ProxyStats {
  return { connections: 0, tunnels: 0, intercepted: 0, requests: 0, fromCache: 0, fromOrigin: 0, passedThrough: 0, bytesStreamed: 0, rejected: 0, upstreamFailures: 0, offline: 0 };
}
