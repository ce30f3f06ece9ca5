/** The proxy's fixed, documented port (docs/proxy.md); `0` picks a free one. */
export const DEFAULT_PROXY_PORT = 8377;

/** The only address the proxy listens on: it is no open door for the network. */
export const PROXY_HOST = '127.0.0.1';

/**
 * What one client may cost the proxy. Defaults are Node's own where they
 * are sane (header size), tighter where a proxy must be (time to send the
 * headers, idle sockets), and generous for bodies, which are streamed.
 */
export interface ProxyLimits {
  /** Request line plus headers, in bytes; more gets `431`. */
  readonly maxHeaderBytes: number;
  /** An absolute URL longer than this gets `414`. */
  readonly maxUrlBytes: number;
  /** Time a client has to send a request's headers (slowloris), in ms; then `408` and the socket is closed. */
  readonly headersTimeoutMs: number;
  /** A connection (client or tunnel) with no traffic for this long is closed, in ms. */
  readonly idleTimeoutMs: number;
  /** Time the origin has to accept a connection, in ms; then `504`. */
  readonly connectTimeoutMs: number;
  /** How long `close()` lets requests in flight finish before it cuts them, in ms. */
  readonly closeGraceMs: number;
}

export const DEFAULT_LIMITS: ProxyLimits = {
  maxHeaderBytes: 32 * 1024,
  maxUrlBytes: 16 * 1024,
  headersTimeoutMs: 15_000,
  idleTimeoutMs: 120_000,
  connectTimeoutMs: 15_000,
  closeGraceMs: 10_000,
};
