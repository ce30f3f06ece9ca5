import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import type { BackendAnswer, CacheTicket, OriginFetcher, ProxyBackend, ProxyRequest } from '../../../src/proxy/backend.js';
import { loadOrCreateAuthority, type ProxyAuthority } from '../../../src/proxy/certificateAuthority.js';
import { LeafCertificates } from '../../../src/proxy/leafCertificates.js';
import type { ProxyLimits } from '../../../src/proxy/limits.js';
import { ProxyServer } from '../../../src/proxy/proxyServer.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { siteCertificate } from '../../site/tls.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

/**
 * A backend that caches every GET whose path ends in `.js` in a Map, so the
 * proxy's HTTP behaviour is tested without the engine. `answer` overrides
 * what `resolve` returns (offline, pass) for one test.
 */
export class FakeBackend implements ProxyBackend {
  readonly stored = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
  readonly fetched: Array<{ url: string; headers: Readonly<Record<string, string>> }> = [];
  answer: BackendAnswer | undefined;
  cacheableHosts: ((host: string) => boolean) | undefined;

  mayCache(host: string): boolean {
    return this.cacheableHosts?.(host) ?? true;
  }

  accept(request: ProxyRequest): (CacheTicket & { headers: Readonly<Record<string, string>> }) | undefined {
    return request.method === 'GET' && new URL(request.url).pathname.endsWith('.js') ? { url: request.url, headers: request.headers } : undefined;
  }

  async resolve(ticket: CacheTicket, fetchOrigin: OriginFetcher): Promise<BackendAnswer> {
    if (this.answer)
      return this.answer;
    const hit = this.stored.get(ticket.url);
    if (hit)
      return { kind: 'serve', ...hit, source: 'memory', stored: false, revalidated: false };
    const headers = { ...(ticket as CacheTicket & { headers: Record<string, string> }).headers, 'accept-encoding': 'identity' };
    this.fetched.push({ url: ticket.url, headers });
    let answer;
    try {
      answer = await fetchOrigin(ticket.url, headers);
    } catch (error) {
      return { kind: 'pass', reason: (error as Error).message };
    }
    if (answer.status !== 200)
      return { kind: 'origin', ...answer };
    const kept = { status: answer.status, headers: { 'content-type': answer.headers['content-type'] ?? '', 'content-length': String(answer.body.length) }, body: answer.body };
    this.stored.set(ticket.url, kept);
    return { kind: 'serve', ...kept, source: 'network', stored: true, revalidated: false };
  }
}

export interface TestProxy {
  readonly proxy: ProxyServer;
  readonly backend: FakeBackend;
  readonly authority: ProxyAuthority;
  readonly certificates: LeafCertificates;
  close(): Promise<void>;
}

/** A proxy on a free port with its own cache dir and CA; upstream TLS trusts the test site's certificate. */
export async function startTestProxy(options: { limits?: Partial<ProxyLimits>; interceptHost?: (host: string, port: number) => boolean; trustSite?: boolean; rejectUnauthorized?: boolean } = {}): Promise<TestProxy> {
  const dir = await makeTempDir('bundle-cache-proxy-');
  const locks = new LockManager();
  const authority = await loadOrCreateAuthority(dir, nodeStoreFs, locks, Date.now);
  const certificates = new LeafCertificates(authority, Date.now);
  const backend = new FakeBackend();
  const proxy = await ProxyServer.start({
    backend, certificates, port: 0,
    interceptHost: options.interceptHost ?? (() => true),
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    ...(options.trustSite === false ? {} : { upstreamCa: [siteCertificate()] }),
    limits: { closeGraceMs: 1_000, ...options.limits },
  });
  return {
    proxy, backend, authority, certificates,
    close: async () => {
      await proxy.close();
      await removeDir(dir);
    },
  };
}

export interface ProxiedResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  /** For https: the certificate the client was shown. */
  readonly certificate?: tls.PeerCertificate;
}

/**
 * A request through the proxy as a browser sends it: absolute-form for
 * http, CONNECT + TLS for https (trusting `ca`, the proxy's CA unless a
 * test says otherwise).
 */
export async function viaProxy(proxyUrl: string, url: string, init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; ca?: string } = {}): Promise<ProxiedResponse> {
  const proxy = new URL(proxyUrl);
  const target = new URL(url);
  if (target.protocol === 'http:') {
    const response = await send(http.request({ host: proxy.hostname, port: proxy.port, path: target.href, method: init.method ?? 'GET', headers: init.headers, agent: false }), init.body);
    return collect(response);
  }
  const socket = await openTunnel(proxyUrl, `${target.hostname}:${target.port || 443}`);
  const secure = tls.connect({ socket, host: target.hostname, servername: net.isIP(target.hostname) ? undefined : target.hostname, ca: init.ca, ALPNProtocols: ['http/1.1'] });
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', resolve);
    secure.once('error', reject);
  });
  const certificate = secure.getPeerCertificate();
  const response = await send(http.request({ createConnection: () => secure, path: `${target.pathname}${target.search}`, method: init.method ?? 'GET', headers: { host: target.host, ...init.headers } }), init.body);
  const collected = await collect(response);
  secure.destroy();
  return { ...collected, certificate };
}

/** CONNECTs through the proxy; rejects with the proxy's status and body when it refuses. */
export function openTunnel(proxyUrl: string, authority: string): Promise<net.Socket> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: proxy.hostname, port: proxy.port, method: 'CONNECT', path: authority, agent: false });
    request.once('connect', (response, socket) => {
      if (response.statusCode === 200)
        return resolve(socket);
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('close', () => reject(Object.assign(new Error(`CONNECT ${authority}: ${response.statusCode} ${Buffer.concat(chunks).toString()}`), { status: response.statusCode })));
    });
    request.once('error', reject);
    request.end();
  });
}

function send(request: http.ClientRequest, body: string | Buffer | undefined): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', reject);
    request.end(body);
  });
}

async function collect(response: IncomingMessage): Promise<ProxiedResponse> {
  const chunks: Buffer[] = [];
  for await (const chunk of response)
    chunks.push(chunk as Buffer);
  return { status: response.statusCode ?? 0, headers: response.headers, rawHeaders: response.rawHeaders, body: Buffer.concat(chunks) };
}

/** Sends raw bytes to the proxy and returns all it answers before closing (or after `waitMs` of silence). */
export function rawExchange(proxyUrl: string, bytes: string | Buffer, waitMs = 2_000): Promise<string> {
  const proxy = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(proxy.port), proxy.hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(waitMs, () => socket.destroy());
    socket.on('data', chunk => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes);
  });
}
