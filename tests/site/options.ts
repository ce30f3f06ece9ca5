/** How to start a site. Every setting but `https` and `host` can change later. */
export interface SiteOptions {
  /** Serve TLS with the committed self-signed certificate (localhost, 127.0.0.1, ::1). Default false. */
  https?: boolean;
  /** Delay before each response head, in milliseconds. Default 0. */
  latencyMs?: number;
  /** Cap per response body, in bytes per second; 0 or undefined means unlimited. */
  bandwidthBytesPerSec?: number;
  /** Initial version of main.dart.js and the page. Default 1. */
  version?: number;
  /** Gzip compressible bodies for clients that accept it. Default false. */
  gzip?: boolean;
  /** Interface to listen on. Default '127.0.0.1'. */
  host?: string;
  /** Port to listen on; 0 (the default) picks a free one. A fixed port keeps cache keys stable across runs (the demo). */
  port?: number;
}

/** The mutable knobs, already validated. */
export interface Settings {
  version: number;
  latencyMs: number;
  /** 0 means unlimited. */
  bandwidthBytesPerSec: number;
  gzip: boolean;
}

export function resolveOptions(options: SiteOptions): Settings & { https: boolean; host: string; port: number } {
  return {
    https: options.https ?? false,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    version: checkVersion(options.version ?? 1),
    latencyMs: checkLatency(options.latencyMs ?? 0),
    bandwidthBytesPerSec: checkBandwidth(options.bandwidthBytesPerSec),
    gzip: options.gzip ?? false,
  };
}

export function checkVersion(version: number): number {
  if (!Number.isSafeInteger(version) || version < 0)
    throw new RangeError(`version must be a non-negative integer, got ${version}`);
  return version;
}

export function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`latency must be a finite number of milliseconds >= 0, got ${ms}`);
  return ms;
}

export function checkBandwidth(bytesPerSec: number | undefined): number {
  if (bytesPerSec === undefined)
    return 0;
  if (!Number.isFinite(bytesPerSec) || bytesPerSec < 0)
    throw new RangeError(`bandwidth must be bytes per second > 0 (or 0/undefined for unlimited), got ${bytesPerSec}`);
  return bytesPerSec;
}
