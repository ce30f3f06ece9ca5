import type { Deploy } from './deploys.js';
import type { Fault } from './faults.js';
import type { OriginProfile } from './profiles.js';
import type { RedirectStatus, RedirectTarget } from './redirects.js';
import type { HeaderMap } from './resources.js';
import type { RequestRecord, StatusCounts } from './traffic.js';

/** `'legacy'`: the original page (`/main.dart.js?v=N`, SRI everywhere); `'flutter'`: `flutter build web`'s layout. */
export type SiteLayout = 'legacy' | 'flutter';

/** What the site and its CDN origin both offer. Counters are per origin. */
export interface OriginFiles {
  /** e.g. 'http://127.0.0.1:43121'; no trailing slash. */
  readonly origin: string;
  /** Requests received for a pathname (query ignored), failed ones included. */
  hits(pathname: string): number;
  /** Response heads written for a pathname, by status: `{ 200: 1, 304: 3 }`. A reset or hang has none. */
  responses(pathname: string): StatusCounts;
  totalHits(): number;
  /** Body bytes written to sockets, after compression: for one pathname, or all. */
  bytesSent(pathname?: string): number;
  /** Every request received, in order. */
  readonly requests: ReadonlyArray<RequestRecord>;
  /** The exact decoded bytes served for a path (for the site: at the current or given version). */
  body(pathname: string, version?: number): Buffer;
  /** Hex SHA-256 of `body()`. */
  sha256(pathname: string, version?: number): string;
  /** The headers a 200 for the path carries now, before `Date`, `Expires`, `Vary`, `Content-Length` and gzip. */
  responseHeaders(pathname: string, version?: number): HeaderMap;
  /** Fails the next `times` requests for `pathname` (default: until cleared). */
  fail(pathname: string, how: Fault, times?: number): void;
  clearFailures(): void;
  /** Extra response headers for a path, replacing same-named ones; an array is sent as repeated lines. */
  setHeaders(pathname: string, headers: HeaderMap): void;
  /** Adds or replaces a resource; the page keeps expecting the built bytes. */
  serve(pathname: string, body: Buffer | string, contentType: string, headers?: HeaderMap): void;
}

/** The CDN-like second origin, started and closed with the site. */
export interface CdnOrigin extends OriginFiles {
  /** 40 hex digits; CanvasKit lives under `/flutter-canvaskit/<engineRevision>/`. */
  readonly engineRevision: string;
  /** origin + '/flutter-canvaskit/<engineRevision>/'. */
  readonly canvaskitBaseUrl: string;
  /** Zeroes this origin's counters only. */
  resetCounters(): void;
}

/** A running Flutter-like origin and its CDN. See tests/site/README.md. */
export interface Site extends OriginFiles, AsyncDisposable {
  /** origin + '/'. */
  readonly pageUrl: string;
  readonly layout: SiteLayout;
  /** The host the Flutter layout answers as; undefined for the legacy layout. */
  readonly profile: OriginProfile | undefined;
  /** Switches the host profile for requests arriving from now on (Flutter layout only). */
  setProfile(profile: OriginProfile): void;
  readonly cdn: CdnOrigin;
  /** Current build number: main.dart.js's trailer and the page's manifest. */
  readonly version: number;
  /** The current deploy. */
  readonly deployment: Deploy;
  /**
   * Deploys build `version` (default: the current one + 1) at the same URLs:
   * new bytes, ETags and Last-Modified, all at once for requests arriving
   * from now on.
   */
  deploy(version?: number): Deploy;
  /** `deploy(n)`, kept for the tests written before deploys. */
  setVersion(n: number): void;
  setLatency(ms: number): void;
  setBandwidth(bytesPerSec: number | undefined): void;
  setGzip(on: boolean): void;
  /** Zeroes hits, statuses and bytes and empties `requests`, on the site and its CDN. */
  resetCounters(): void;
  /** Clears the faults of the site and its CDN. */
  clearFailures(): void;
  /**
   * Answers `pathname` with a redirect: `'versioned'` to `versionedPath()` on
   * this origin (which serves the real bytes there), `'cdn'` to the same
   * file name under `cdn.canvaskitBaseUrl`. Status 302 unless given.
   */
  redirect(pathname: string, to: RedirectTarget, status?: RedirectStatus): void;
  clearRedirects(): void;
  /** Where a 'versioned' redirect of `pathname` points at the current or given version, e.g. '/build/main.3f9a…c2.js'. */
  versionedPath(pathname: string, version?: number): string;
  /** Stops listening and destroys every open socket, hung ones included, on both origins. */
  close(): Promise<void>;
}
