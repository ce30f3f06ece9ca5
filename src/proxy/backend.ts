import type { ServeSource } from '../types.js';

/**
 * The seam between the proxy and the cache: the proxy speaks HTTP, the
 * backend decides what is cached and how it is answered. The proxy never
 * imports the engine; `engineBackend.ts` adapts today's engine to this, and
 * unit tests drive the proxy with a fake.
 */
export interface ProxyBackend {
  /**
   * Whether a rule could match some URL of `https://<host>:<port>`. A
   * `CONNECT` to an origin for which this is false is a blind tunnel: the
   * proxy never sees its requests.
   */
  mayCache(host: string, port: number): boolean;
  /**
   * The request as the cache sees it, or undefined: the proxy passes it
   * through untouched. Called for every request the proxy reads; a document
   * may start checks through `fetchOrigin` meanwhile (early checks).
   */
  accept(request: ProxyRequest, fetchOrigin: OriginFetcher): CacheTicket | undefined;
  /** Answers a request `accept` took, asking the origin (through `fetchOrigin`) only when the cache must. */
  resolve(ticket: CacheTicket, fetchOrigin: OriginFetcher): Promise<BackendAnswer>;
}

/** A request as the proxy received it: absolute URL, header names lower-case, hop-by-hop headers removed. */
export interface ProxyRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** What `accept` hands back to `resolve`; opaque to the proxy but for the URL it logs. */
export interface CacheTicket {
  readonly url: string;
}

/** The origin's answer to one GET, body whole and decoded. */
export interface OriginAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/**
 * Fetches `url` from the origin with exactly `headers` (the backend adds
 * what it needs: `accept-encoding: identity`, a conditional request's
 * validators). Rejects when the origin cannot be reached or the body is cut.
 */
export type OriginFetcher = (url: string, headers: Readonly<Record<string, string>>) => Promise<OriginAnswer>;

export type BackendAnswer =
  /** A response to serve: from a tier, or fetched (and `stored`, when it was written to the cache). */
  | {
    readonly kind: 'serve';
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: Buffer;
    readonly source: ServeSource;
    readonly stored: boolean;
    /** The origin was asked and answered 304 for the stored body. */
    readonly revalidated: boolean;
  }
  /** The origin's answer, which the cache may not keep (a cookie, `private`, not a 200): served as it came. */
  | { readonly kind: 'origin'; readonly status: number; readonly headers: Readonly<Record<string, string>>; readonly body: Buffer }
  /** Offline mode and not cached: the client gets an error naming `message`. */
  | { readonly kind: 'offline'; readonly message: string }
  /** The cache could not answer (its fetch failed): the proxy forwards the request itself. */
  | { readonly kind: 'pass'; readonly reason?: string };
