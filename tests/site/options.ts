import { DEFAULT_ENGINE_REVISION, checkEngineRevision } from './cdnLayout.js';
import { checkProfile, type OriginProfile } from './profiles.js';
import type { SiteLayout } from './site.js';

/** How to start a site. Latency, bandwidth, gzip, version and profile can change later. */
export interface SiteOptions {
  /** Which files the site serves. Default 'legacy'; see tests/site/README.md. */
  layout?: SiteLayout;
  /** The host the Flutter layout answers as. Default 'netlify'; rejected for the legacy layout. */
  profile?: OriginProfile;
  /** Milliseconds since the epoch, for `Date`, `Expires` and each deploy's `Last-Modified`. Default `Date.now`. */
  clock?: () => number;
  /** The Flutter engine revision in CanvasKit's CDN path: 40 hex digits. Default a fixed one. */
  engineRevision?: string;
  /** Flutter layout: load CanvasKit from the site's own `/canvaskit/` (Flutter's `useLocalCanvasKit`) instead of the CDN. Default false. */
  localCanvasKit?: boolean;
  /** Port of the CDN origin; 0 (the default) picks a free one. */
  cdnPort?: number;
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

/** The mutable knobs, already validated; shared by the site and its CDN. */
export interface Settings {
  latencyMs: number;
  /** 0 means unlimited. */
  bandwidthBytesPerSec: number;
  gzip: boolean;
}

/** Everything `startSite` needs, validated once. */
export interface ResolvedOptions extends Settings {
  readonly https: boolean;
  readonly host: string;
  readonly port: number;
  readonly cdnPort: number;
  readonly layout: SiteLayout;
  /** undefined for the legacy layout. */
  readonly profile: OriginProfile | undefined;
  readonly version: number;
  readonly clock: () => number;
  readonly engineRevision: string;
  readonly localCanvasKit: boolean;
}

export function resolveOptions(options: SiteOptions): ResolvedOptions {
  const layout = options.layout ?? 'legacy';
  if (layout !== 'legacy' && layout !== 'flutter')
    throw new RangeError(`layout must be 'legacy' or 'flutter', got ${JSON.stringify(layout)}`);
  if (layout === 'legacy' && (options.profile !== undefined || options.localCanvasKit !== undefined))
    throw new RangeError(`${options.profile !== undefined ? 'profile' : 'localCanvasKit'} applies to the Flutter layout only; start the site with { layout: 'flutter' }`);
  return {
    https: options.https ?? false,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    cdnPort: options.cdnPort ?? 0,
    layout,
    profile: layout === 'flutter' ? checkProfile(options.profile ?? 'netlify') : undefined,
    clock: checkedClock(options.clock ?? Date.now),
    engineRevision: checkEngineRevision(options.engineRevision ?? DEFAULT_ENGINE_REVISION),
    localCanvasKit: options.localCanvasKit ?? false,
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

/** Wraps a user's clock so a bad reading fails with its value instead of as an invalid Date header. */
export function checkedClock(clock: () => number): () => number {
  if (typeof clock !== 'function')
    throw new TypeError(`clock must be a function returning milliseconds since the epoch, like Date.now; got ${typeof clock}`);
  return () => {
    const ms = clock();
    if (!Number.isFinite(ms) || ms < 0 || ms > 253402300799000)
      throw new RangeError(`clock() must return milliseconds since the epoch (0 to year 9999), got ${ms}`);
    return ms;
  };
}
