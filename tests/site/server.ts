import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { sha256Hex } from './digest.js';
import { gzipped, isCompressible } from './encoding.js';
import { type Fault, Faults, assertPathname } from './faults.js';
import { handleRequest, type SiteState } from './handler.js';
import { checkBandwidth, checkLatency, checkVersion, resolveOptions, type Settings, type SiteOptions } from './options.js';
import { type HeaderMap, Resources } from './resources.js';
import type { Site } from './site.js';
import { siteCertificate, siteKey } from './tls.js';
import { type RequestRecord, Traffic } from './traffic.js';

export type { Fault } from './faults.js';
export type { SiteOptions } from './options.js';
export type { Site } from './site.js';
export type { RequestRecord } from './traffic.js';
export { loadApp, type SiteReport } from './report.js';
export { syntheticBundle } from './synthetic.js';
export { siteCertificate } from './tls.js';

/** Starts a site on a random free port. */
export function startSite(options: SiteOptions = {}): Promise<Site> {
  return SiteServer.start(options);
}

// Compressed ahead of the first request when gzip is on, as a host would at
// deploy time, so a first page load is not timed with ~1 s of zlib in it.
const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'];

class SiteServer implements Site {
  readonly origin: string;
  readonly pageUrl: string;
  readonly #server: Server;
  readonly #sockets: Set<Socket>;
  readonly #settings: Settings;
  readonly #resources = new Resources();
  readonly #faults = new Faults();
  readonly #traffic = new Traffic();
  readonly #closing = new AbortController();
  #closed: Promise<void> | undefined;

  private constructor(server: Server, sockets: Set<Socket>, settings: Settings, origin: string) {
    this.#server = server;
    this.#sockets = sockets;
    this.#settings = settings;
    this.origin = origin;
    this.pageUrl = origin + '/';
  }

  static async start(options: SiteOptions): Promise<SiteServer> {
    const { https, host, port: requestedPort, ...settings } = resolveOptions(options);
    const server: Server = https ? createHttpsServer({ cert: siteCertificate(), key: siteKey() }) : createHttpServer();
    const sockets = new Set<Socket>();
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(requestedPort, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const origin = `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    const site = new SiteServer(server, sockets, settings, origin);
    site.#precompress();
    const state: SiteState = {
      settings, resources: site.#resources, faults: site.#faults, traffic: site.#traffic, closing: site.#closing.signal,
    };
    server.on('request', (req, res) => {
      handleRequest(req, res, state).catch((error: unknown) => {
        // A close() mid-response is expected; anything else is a site bug the
        // client should see as a broken connection rather than a hang.
        if (!state.closing.aborted)
          console.error('tests/site: request failed', req.url, error);
        res.destroy();
      });
    });
    return site;
  }

  get version(): number {
    return this.#settings.version;
  }

  get requests(): ReadonlyArray<RequestRecord> {
    return this.#traffic.requests;
  }

  setVersion(n: number): void {
    this.#settings.version = checkVersion(n);
    this.#precompress();
  }

  setLatency(ms: number): void {
    this.#settings.latencyMs = checkLatency(ms);
  }

  setBandwidth(bytesPerSec: number | undefined): void {
    this.#settings.bandwidthBytesPerSec = checkBandwidth(bytesPerSec);
  }

  setGzip(on: boolean): void {
    this.#settings.gzip = on;
    this.#precompress();
  }

  hits(pathname: string): number {
    return this.#traffic.hits(pathname);
  }

  totalHits(): number {
    return this.#traffic.totalHits();
  }

  bytesSent(): number {
    return this.#traffic.bytesSent();
  }

  resetCounters(): void {
    this.#traffic.reset();
  }

  body(pathname: string, version = this.#settings.version): Buffer {
    assertPathname(pathname);
    const resource = this.#resources.resolve(pathname, checkVersion(version));
    if (!resource)
      throw new Error(`The site serves nothing at ${pathname}; add it with serve() first`);
    return resource.body;
  }

  sha256(pathname: string, version?: number): string {
    return sha256Hex(this.body(pathname, version));
  }

  fail(pathname: string, how: Fault, times?: number): void {
    this.#faults.add(pathname, how, times);
  }

  clearFailures(): void {
    this.#faults.clear();
  }

  setHeaders(pathname: string, headers: HeaderMap): void {
    this.#resources.setHeaders(pathname, headers);
  }

  serve(pathname: string, body: Buffer | string, contentType: string, headers?: HeaderMap): void {
    this.#resources.serve(pathname, body, contentType, headers);
  }

  #precompress(): void {
    if (!this.#settings.gzip)
      return;
    for (const pathname of BUNDLES) {
      const resource = this.#resources.resolve(pathname, this.#settings.version);
      if (resource && isCompressible(resource.contentType))
        gzipped(resource.body).catch(() => {}); // A request for it will see the error.
    }
  }

  close(): Promise<void> {
    this.#closed ??= new Promise<void>(resolve => {
      this.#closing.abort();
      this.#server.close(() => resolve());
      for (const socket of this.#sockets)
        socket.destroy();
    });
    return this.#closed;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
