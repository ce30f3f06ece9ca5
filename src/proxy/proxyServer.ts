import http from 'node:http';
import type net from 'node:net';
import type tls from 'node:tls';
import { BundleCacheError, errnoCode } from '../errors.js';
import { log } from '../log.js';
import type { ProxyBackend } from './backend.js';
import { handleConnect } from './connect.js';
import { handleExchange } from './exchange.js';
import { answerOnSocket, failureBody } from './failures.js';
import type { LeafCertificates } from './leafCertificates.js';
import { DEFAULT_LIMITS, PROXY_HOST, type ProxyLimits } from './limits.js';
import { emptyProxyStats, type ProxyStats } from './proxyStats.js';
import { handleUpgrade } from './upgrade.js';
import { Upstream } from './upstream.js';

export interface ProxyServerOptions {
  readonly backend: ProxyBackend;
  readonly certificates: LeafCertificates;
  /** 0 picks a free port. */
  readonly port: number;
  /** Whether to terminate TLS for `host:port` (the backend is asked too). */
  readonly interceptHost: (host: string, port: number) => boolean;
  /** Verify origins' certificates. */
  readonly rejectUnauthorized: boolean;
  /** CAs to trust for origins instead of Node's (tests). */
  readonly upstreamCa?: readonly string[];
  readonly limits?: Partial<ProxyLimits>;
}

/**
 * The forward proxy: one HTTP server on 127.0.0.1 reads plain requests and
 * CONNECTs; a second one, listening nowhere, reads the requests inside the
 * HTTPS connections the first terminated. Every socket it opens or accepts
 * is tracked, so `close()` leaves nothing behind.
 */
export class ProxyServer {
  readonly #server: http.Server;
  readonly #decrypted: http.Server;
  readonly #upstream: Upstream;
  readonly #limits: ProxyLimits;
  readonly #stats = emptyProxyStats();
  readonly #sockets = new Set<net.Socket>();
  readonly #exchanges = new Set<Promise<void>>();
  /** The origin (`https://host:port`) of each terminated TLS connection. */
  readonly #origins = new WeakMap<net.Socket, string>();
  #port = 0;
  #closing: Promise<void> | undefined;

  private constructor(options: ProxyServerOptions, limits: ProxyLimits) {
    this.#limits = limits;
    const ownPort = () => this.#port;
    this.#upstream = new Upstream({ rejectUnauthorized: options.rejectUnauthorized, ca: options.upstreamCa, connectTimeoutMs: limits.connectTimeoutMs, idleTimeoutMs: limits.idleTimeoutMs, ownPort });
    const serverOptions: http.ServerOptions = {
      maxHeaderSize: limits.maxHeaderBytes,
      headersTimeout: limits.headersTimeoutMs,
      // Bodies are streamed and may take long; idleness is what is limited.
      requestTimeout: 0,
      keepAliveTimeout: 5_000,
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    };
    this.#server = http.createServer(serverOptions);
    this.#decrypted = http.createServer(serverOptions);
    const exchange = { backend: options.backend, upstream: this.#upstream, limits, stats: this.#stats, ownPort };
    const own = (socket: net.Socket) => this.#own(socket);
    for (const server of [this.#server, this.#decrypted]) {
      server.timeout = limits.idleTimeoutMs;
      server.on('request', (req, res) => this.#run(handleExchange(exchange, req, res, this.#origins.get(req.socket))));
      server.on('upgrade', (req, socket: net.Socket, head: Buffer) => handleUpgrade({ upstream: this.#upstream, stats: this.#stats, own }, req, socket, head, this.#origins.get(req.socket)));
      server.on('clientError', (error: Error & { code?: string }, socket: net.Socket) => this.#clientError(error, socket));
    }
    this.#server.on('connection', (socket: net.Socket) => {
      this.#stats.connections++;
      this.#own(socket);
    });
    this.#server.on('connect', (req, socket: net.Socket, head: Buffer) => handleConnect({
      upstream: this.#upstream, certificates: options.certificates, limits, stats: this.#stats, ownPort, own,
      intercepts: (host, port) => options.interceptHost(host, port) && options.backend.mayCache(host, port),
      serveDecrypted: (secure: tls.TLSSocket, origin: string) => {
        this.#origins.set(secure, origin);
        this.#decrypted.emit('connection', secure);
      },
    }, req, socket, head));
  }

  /** Listens on 127.0.0.1; a port in use is an `ERR_PROXY_LISTEN` naming it and the fix. */
  static async start(options: ProxyServerOptions): Promise<ProxyServer> {
    const proxy = new ProxyServer(options, { ...DEFAULT_LIMITS, ...options.limits });
    await new Promise<void>((resolve, reject) => {
      proxy.#server.once('error', reject);
      proxy.#server.listen(options.port, PROXY_HOST, () => {
        proxy.#server.off('error', reject);
        resolve();
      });
    }).catch(error => {
      proxy.#upstream.close();
      const inUse = errnoCode(error) === 'EADDRINUSE';
      throw new BundleCacheError('ERR_PROXY_LISTEN',
          `The proxy cannot listen on ${PROXY_HOST}:${options.port}: ${inUse ? 'the port is in use (another bundle-cache proxy?)' : (error as Error).message}. Fix: stop what holds it, or choose another port (--port <n>, or port: 0 for a free one).`,
          { port: options.port }, { cause: error });
    });
    proxy.#port = (proxy.#server.address() as net.AddressInfo).port;
    log.debug(`proxy listening on ${proxy.url}`);
    return proxy;
  }

  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:<port>`: what a client's proxy setting takes. */
  get url(): string {
    return `http://${PROXY_HOST}:${this.#port}`;
  }

  stats(): ProxyStats {
    return { ...this.#stats };
  }

  /**
   * Stops accepting, lets requests in flight finish (up to the close grace),
   * then cuts whatever is left: tunnels, WebSockets, slow clients.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    const closed = new Promise<void>(resolve => this.#server.close(() => resolve()));
    this.#server.closeIdleConnections();
    this.#decrypted.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>(resolve => {
      timer = setTimeout(resolve, this.#limits.closeGraceMs);
    });
    await Promise.race([Promise.allSettled([...this.#exchanges]), grace]);
    clearTimeout(timer);
    for (const socket of this.#sockets)
      socket.destroy();
    this.#server.closeAllConnections();
    this.#decrypted.closeAllConnections();
    this.#upstream.close();
    await closed;
  }

  #run(exchange: Promise<void>): void {
    const settled = exchange.catch(error => log.warn(`proxy: unexpected error: ${(error as Error).stack ?? String(error)}`)).finally(() => this.#exchanges.delete(settled));
    this.#exchanges.add(settled);
  }

  #own(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  /** Malformed requests, oversized headers, slow clients: answered (4xx) and closed; the proxy goes on. */
  #clientError(error: Error & { code?: string }, socket: net.Socket): void {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    this.#stats.rejected++;
    const [status, reason, cause, fix] = error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', `the request line and headers are over the proxy's limit of ${this.#limits.maxHeaderBytes} bytes`, 'send fewer or smaller headers (cookies).']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', `the headers did not arrive within ${this.#limits.headersTimeoutMs} ms`, 'send the whole request head at once.']
        : [400, 'Bad Request', `the request could not be parsed (${error.code ?? error.message})`, 'send a well-formed HTTP/1.1 request.'];
    log.debug(`proxy: ${status} to a client: ${cause}`);
    answerOnSocket(socket, status, reason, failureBody('request refused', { cause, fix }));
  }
}
