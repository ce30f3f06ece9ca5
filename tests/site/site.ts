import type { Fault } from './faults.js';
import type { HeaderMap } from './resources.js';
import type { RequestRecord } from './traffic.js';

/** A running Flutter-like origin. See tests/site/README.md. */
export interface Site extends AsyncDisposable {
  /** e.g. 'http://127.0.0.1:43121'; no trailing slash. */
  readonly origin: string;
  /** origin + '/'. */
  readonly pageUrl: string;
  /** Current version of the page and main.dart.js. */
  readonly version: number;
  setVersion(n: number): void;
  setLatency(ms: number): void;
  setBandwidth(bytesPerSec: number | undefined): void;
  setGzip(on: boolean): void;
  /** Requests received for a pathname (query ignored), failed ones included. */
  hits(pathname: string): number;
  totalHits(): number;
  /** Body bytes written to sockets, after compression, all paths. */
  bytesSent(): number;
  /** Zeroes hits and bytes and empties `requests`. */
  resetCounters(): void;
  /** Every request received, in order. */
  readonly requests: ReadonlyArray<RequestRecord>;
  /** The exact decoded bytes served for a path, at the current or given version. */
  body(pathname: string, version?: number): Buffer;
  /** Hex SHA-256 of `body()`. */
  sha256(pathname: string, version?: number): string;
  /** Fails the next `times` requests for `pathname` (default: until cleared). */
  fail(pathname: string, how: Fault, times?: number): void;
  clearFailures(): void;
  /** Extra response headers for a path, replacing same-named defaults. */
  setHeaders(pathname: string, headers: HeaderMap): void;
  /** Adds or replaces a resource; the page keeps expecting the built bytes. */
  serve(pathname: string, body: Buffer | string, contentType: string, headers?: HeaderMap): void;
  /** Stops listening and destroys every open socket, hung ones included. */
  close(): Promise<void>;
}
