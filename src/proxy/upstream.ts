import dns from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { OriginAnswer } from './backend.js';

export interface UpstreamSettings {
  /** Verify the origin's certificate (Node's CAs plus NODE_EXTRA_CA_CERTS). */
  readonly rejectUnauthorized: boolean;
  /** CAs to trust instead of Node's own (tests: the test site's certificate). */
  readonly ca?: readonly string[];
  readonly connectTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** The proxy's own port on 127.0.0.1: a connection there would be a loop. */
  readonly ownPort: () => number;
}

/** An error raised for a connection that would reach the proxy itself. */
export class ProxyLoopError extends Error {
  readonly code = 'ERR_PROXY_LOOP';
}

/**
 * Every connection the proxy opens to an origin: pooled keep-alive agents
 * for requests, raw sockets for tunnels, TLS verified unless told not to,
 * and never a connection back to the proxy itself.
 */
export class Upstream {
  readonly #settings: UpstreamSettings;
  readonly #http: http.Agent;
  readonly #https: https.Agent;

  constructor(settings: UpstreamSettings) {
    this.#settings = settings;
    const pool = { keepAlive: true, timeout: settings.idleTimeoutMs, scheduling: 'lifo' as const };
    this.#http = new http.Agent(pool);
    this.#https = new https.Agent({ ...pool, ...this.#tls() });
  }

  /** A request to `url`, headers as given (a raw list or a record); the caller ends it. */
  request(url: URL, method: string, headers: readonly string[] | Readonly<Record<string, string>>): http.ClientRequest {
    const secure = url.protocol === 'https:';
    const port = Number(url.port) || (secure ? 443 : 80);
    const host = hostOf(url);
    this.#refuseSelf(host, port);
    const request = (secure ? https : http).request({
      host,
      port,
      method,
      path: `${url.pathname}${url.search}`,
      headers: headers as http.OutgoingHttpHeaders,
      agent: secure ? this.#https : this.#http,
      lookup: this.#lookup(port),
      timeout: this.#settings.connectTimeoutMs,
      setHost: !Array.isArray(headers) || !hasHost(headers),
      ...(secure ? { servername: net.isIP(host) ? undefined : host } : {}),
    });
    // `timeout` bounds the connect; once connected, the idle limit applies.
    request.once('socket', socket => {
      // A pooled socket is connected already: the idle limit applies at once, and no listener is left on it.
      if (!socket.connecting && (!secure || (socket as tls.TLSSocket).encrypted && !(socket as tls.TLSSocket).pending))
        return void request.setTimeout(this.#settings.idleTimeoutMs);
      const connected = () => request.setTimeout(this.#settings.idleTimeoutMs);
      socket.once(secure ? 'secureConnect' : 'connect', connected);
      request.once('close', () => socket.off(secure ? 'secureConnect' : 'connect', connected));
    });
    request.on('timeout', () => request.destroy(Object.assign(new Error(`no answer from ${host}:${port} in time`), { code: 'ETIMEDOUT' })));
    return request;
  }

  /** A TCP connection to `host:port` (a tunnel), or a TLS one (an upgrade inside intercepted HTTPS). */
  connect(host: string, port: number, secure: boolean): net.Socket {
    this.#refuseSelf(host, port);
    const options = { host, port, lookup: this.#lookup(port), timeout: this.#settings.connectTimeoutMs };
    const socket = secure
      ? tls.connect({ ...options, ...this.#tls(), servername: net.isIP(host) ? undefined : host, ALPNProtocols: ['http/1.1'] })
      : net.connect(options);
    socket.once('timeout', () => socket.destroy(Object.assign(new Error(`${host}:${port} did not accept a connection in time`), { code: 'ETIMEDOUT' })));
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.setTimeout(this.#settings.idleTimeoutMs));
    return socket;
  }

  /** One GET for the cache: the body whole and decoded; rejects when it is cut short. */
  async fetch(url: string, headers: Readonly<Record<string, string>>): Promise<OriginAnswer> {
    const { host: _, ...rest } = headers;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const request = this.request(new URL(url), 'GET', rest);
      request.once('response', resolve);
      request.once('error', reject);
      request.end();
    });
    let decoder;
    try {
      decoder = decoderFor(response.headers['content-encoding']);
    } catch (error) {
      response.destroy();
      throw error;
    }
    const chunks: Buffer[] = [];
    const collect = async (source: AsyncIterable<Buffer>) => {
      for await (const chunk of source)
        chunks.push(chunk);
    };
    if (decoder)
      await pipeline(response, decoder, collect);
    else
      await collect(response as Readable & AsyncIterable<Buffer>);
    return { status: response.statusCode ?? 502, headers: headerLines(response), body: Buffer.concat(chunks) };
  }

  close(): void {
    this.#http.destroy();
    this.#https.destroy();
  }

  #tls(): tls.ConnectionOptions {
    const { rejectUnauthorized, ca } = this.#settings;
    return { rejectUnauthorized, ...(ca ? { ca: [...ca] } : {}) };
  }

  #refuseSelf(host: string, port: number): void {
    if (isOwnAddress(host, port, this.#settings.ownPort()))
      throw new ProxyLoopError(`${host}:${port} is the proxy itself`);
  }

  /** DNS as usual, but a name that resolves to the proxy's own address and port is refused. */
  #lookup(port: number): net.LookupFunction {
    return ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
      dns.lookup(hostname, options, (error, address, family) => {
        const addresses = Array.isArray(address) ? address as dns.LookupAddress[] : [{ address, family }];
        if (!error && addresses.some(entry => isOwnAddress(entry.address, port, this.#settings.ownPort())))
          return callback(new ProxyLoopError(`${hostname}:${port} is the proxy itself`));
        callback(error, address, family);
      });
    }) as net.LookupFunction;
  }
}

/** Addresses that reach a server bound to 127.0.0.1. */
const OWN_ADDRESSES = new Set(['127.0.0.1', '0.0.0.0', '::ffff:127.0.0.1', 'localhost']);

export function isOwnAddress(host: string, port: number, ownPort: number): boolean {
  return port === ownPort && OWN_ADDRESSES.has(host.toLowerCase());
}

/** The URL's host as a socket takes it: IPv6 literals without brackets. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

function hasHost(raw: readonly string[]): boolean {
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.toLowerCase() === 'host')
      return true;
  }
  return false;
}

function decoderFor(encoding: string | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new Error(`the origin sent content-encoding ${encoding}, which the proxy cannot decode for the cache`);
  }
}

/**
 * Response headers as the cache reads them: lower-case names, repeated
 * lines joined with `, `, but Set-Cookie lines with a newline (as
 * Playwright's `headers()` gives them), so they can be sent apart again.
 */
function headerLines(response: IncomingMessage): Record<string, string> {
  const record: Record<string, string> = {};
  const raw = response.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const separator = name === 'set-cookie' ? '\n' : ', ';
    record[name] = record[name] === undefined ? raw[i + 1]! : `${record[name]}${separator}${raw[i + 1]!}`;
  }
  return record;
}
