import { sha256Hex } from './digest.js';
import { gzipped, isCompressible } from './encoding.js';
import { type Fault, Faults, assertPathname } from './faults.js';
import { handleRequest, type OriginState, type Redirect } from './handler.js';
import type { Listener } from './listener.js';
import type { Settings } from './options.js';
import type { HeaderMap, Resource, Resources, Snapshot } from './resources.js';
import { type RequestRecord, type StatusCounts, Traffic } from './traffic.js';

/** What the site and its CDN share: the network knobs, the clock, the close signal. */
export interface Shared {
  readonly settings: Settings;
  readonly clock: () => number;
  readonly closing: AbortSignal;
}

/**
 * One origin's files, faults and counters behind one listener: the part of
 * the public API the site and its CDN have in common.
 */
export abstract class Origin {
  readonly origin: string;
  protected readonly listener: Listener;
  protected readonly resources: Resources;
  protected readonly shared: Shared;
  protected readonly faults = new Faults();
  protected readonly traffic = new Traffic();

  protected constructor(listener: Listener, resources: Resources, shared: Shared) {
    this.listener = listener;
    this.origin = listener.origin;
    this.resources = resources;
    this.shared = shared;
    const state: OriginState = {
      ...shared,
      faults: this.faults,
      traffic: this.traffic,
      lookup: pathname => this.lookup(pathname),
    };
    listener.onRequest((req, res) => {
      handleRequest(req, res, state).catch((error: unknown) => {
        // A close() mid-response is expected; anything else is a site bug the
        // client should see as a broken connection rather than a hang.
        if (!shared.closing.aborted)
          console.error('tests/site: request failed', req.url, error);
        res.destroy();
      });
    });
  }

  /** What a request for `pathname` gets, as it arrives. */
  protected lookup(pathname: string): Resource | Redirect | undefined {
    return this.resolve(pathname, this.snapshot());
  }

  protected resolve(pathname: string, snapshot: Snapshot): Resource | undefined {
    return this.resources.resolve(pathname, snapshot);
  }

  /** The deploy and profile a request arriving now is answered from (or those of `version`). */
  protected abstract snapshot(version?: number): Snapshot;

  get requests(): ReadonlyArray<RequestRecord> {
    return this.traffic.requests;
  }

  hits(pathname: string): number {
    return this.traffic.hits(pathname);
  }

  responses(pathname: string): StatusCounts {
    return this.traffic.responses(pathname);
  }

  totalHits(): number {
    return this.traffic.totalHits();
  }

  bytesSent(pathname?: string): number {
    return this.traffic.bytesSent(pathname);
  }

  body(pathname: string, version?: number): Buffer {
    return this.#resource(pathname, version).body;
  }

  sha256(pathname: string, version?: number): string {
    return sha256Hex(this.body(pathname, version));
  }

  responseHeaders(pathname: string, version?: number): HeaderMap {
    return { ...this.#resource(pathname, version).headers };
  }

  fail(pathname: string, how: Fault, times?: number): void {
    this.faults.add(pathname, how, times);
  }

  setHeaders(pathname: string, headers: HeaderMap): void {
    this.resources.setHeaders(pathname, headers);
  }

  serve(pathname: string, body: Buffer | string, contentType: string, headers?: HeaderMap): void {
    this.resources.serve(pathname, body, contentType, headers);
  }

  /** Compresses the layout's bundles ahead of the first request when gzip is on, as a host does at deploy time. */
  precompress(): void {
    if (!this.shared.settings.gzip)
      return;
    const snapshot = this.snapshot();
    for (const pathname of this.resources.bundles) {
      const resource = this.resolve(pathname, snapshot);
      if (resource && isCompressible(resource.contentType))
        gzipped(resource.body).catch(() => {}); // A request for it will see the error.
    }
  }

  #resource(pathname: string, version: number | undefined): Resource {
    assertPathname(pathname);
    const resource = this.resolve(pathname, this.snapshot(version));
    if (!resource)
      throw new Error(`${this.origin} serves nothing at ${pathname}; add it with serve() first`);
    return resource;
  }
}
