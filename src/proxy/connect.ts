import type { IncomingMessage } from 'node:http';
import type net from 'node:net';
import tls from 'node:tls';
import { log } from '../log.js';
import { answerOnSocket, describeUpstreamFailure, failureBody } from './failures.js';
import type { ProxyLimits } from './limits.js';
import type { LeafCertificates } from './leafCertificates.js';
import type { ProxyCounters } from './proxyStats.js';
import { ProxyLoopError, isOwnAddress, type Upstream } from './upstream.js';

export interface ConnectDeps {
  readonly upstream: Upstream;
  readonly certificates: LeafCertificates;
  readonly limits: ProxyLimits;
  readonly stats: ProxyCounters;
  readonly ownPort: () => number;
  /** Whether to open HTTPS to this origin (rules could match it), or tunnel it blind. */
  readonly intercepts: (host: string, port: number) => boolean;
  /** Hands a terminated TLS connection to the HTTP server that reads its requests. */
  readonly serveDecrypted: (socket: tls.TLSSocket, origin: string) => void;
  /** Sockets to destroy when the proxy closes. */
  readonly own: (socket: net.Socket) => void;
}

const ESTABLISHED = 'HTTP/1.1 200 Connection Established\r\n\r\n';
/** The first byte of a TLS handshake record. */
const TLS_HANDSHAKE = 0x16;

/** A `CONNECT host:port`: a blind tunnel, or TLS terminated for a host the cache may serve. */
export function handleConnect(deps: ConnectDeps, req: IncomingMessage, socket: net.Socket, head: Buffer): void {
  socket.setTimeout(deps.limits.idleTimeoutMs, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  const authority = parseAuthority(req.url ?? '');
  if (!authority) {
    deps.stats.rejected++;
    return answerOnSocket(socket, 400, 'Bad Request', failureBody('CONNECT refused', {
      cause: `${JSON.stringify((req.url ?? '').slice(0, 200))} is not host:port`,
      fix: 'send CONNECT host:port, as HTTP clients do for https:// URLs.',
    }));
  }
  const { host, port } = authority;
  if (isOwnAddress(host, port, deps.ownPort())) {
    deps.stats.rejected++;
    return answerOnSocket(socket, 508, 'Loop Detected', failureBody('CONNECT refused', { cause: `${host}:${port} is the proxy itself`, fix: 'connect to the origin\'s own address.' }));
  }
  if (!deps.intercepts(host, port))
    return tunnel(deps, socket, head, host, port, false);
  deps.stats.intercepted++;
  socket.write(ESTABLISHED);
  // What the client sends first tells TLS (to terminate) from anything else (a WebSocket over ws://, to tunnel).
  const decide = (first: Buffer) => {
    socket.pause();
    socket.unshift(first);
    if (first[0] !== TLS_HANDSHAKE) {
      deps.stats.intercepted--;
      return tunnel(deps, socket, Buffer.alloc(0), host, port, true);
    }
    void terminate(deps, socket, host, port);
  };
  if (head.length)
    decide(head);
  else
    socket.once('data', decide);
}

/** `host:port` of a CONNECT (IPv6 in brackets); undefined when it is anything else. */
export function parseAuthority(target: string): { host: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9._~%!$&'()*+,;=-]+):(\d{1,5})$/i.exec(target);
  if (!match)
    return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535)
    return undefined;
  const host = match[1]!.startsWith('[') ? match[1]!.slice(1, -1) : match[1]!;
  return { host: host.toLowerCase(), port };
}

async function terminate(deps: ConnectDeps, socket: net.Socket, host: string, port: number): Promise<void> {
  let secureContext;
  try {
    secureContext = await deps.certificates.secureContext(host);
  } catch (error) {
    log.warn(`proxy: no certificate for ${host} (${(error as Error).message}); closing the client's connection`);
    socket.destroy();
    return;
  }
  if (socket.destroyed)
    return;
  // From here the TLS socket reads the connection: the limits apply to it. A handshake gets the time a request head gets.
  socket.setTimeout(0);
  const secure = new tls.TLSSocket(socket, { isServer: true, secureContext, ALPNProtocols: ['http/1.1'] });
  secure.setTimeout(deps.limits.headersTimeoutMs, () => secure.destroy());
  secure.once('secure', () => secure.setTimeout(deps.limits.idleTimeoutMs, () => secure.destroy()));
  // A client that does not trust the CA, or sends garbage, ends here; the proxy goes on.
  secure.on('error', error => {
    log.debug(`proxy: TLS with a client for ${host}:${port} failed: ${error.message.split('\n')[0]}`);
    secure.destroy();
  });
  deps.serveDecrypted(secure, port === 443 ? `https://${hostForUrl(host)}` : `https://${hostForUrl(host)}:${port}`);
}

/**
 * Pipes the client's socket to `host:port` both ways, with back-pressure.
 * `established`: the client was told 200 already (it then gets no 502).
 */
function tunnel(deps: ConnectDeps, socket: net.Socket, head: Buffer, host: string, port: number, established: boolean): void {
  deps.stats.tunnels++;
  let upstream: net.Socket;
  try {
    upstream = deps.upstream.connect(host, port, false);
  } catch (error) {
    deps.stats.rejected++;
    const loop = error instanceof ProxyLoopError;
    return established ? void socket.destroy() : answerOnSocket(socket, loop ? 508 : 502, loop ? 'Loop Detected' : 'Bad Gateway', failureBody('CONNECT failed', describeUpstreamFailure(error, `${host}:${port}`)));
  }
  deps.own(upstream);
  let connected = false;
  upstream.once('connect', () => {
    connected = true;
    log.debug(`proxy tunnel ${host}:${port}`);
    if (!established)
      socket.write(ESTABLISHED);
    if (head.length)
      upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
    socket.resume();
  });
  upstream.on('error', error => {
    if (connected || established) {
      socket.destroy();
      return;
    }
    deps.stats.upstreamFailures++;
    const failure = describeUpstreamFailure(error, `${host}:${port}`);
    answerOnSocket(socket, failure.status, failure.status === 504 ? 'Gateway Timeout' : 'Bad Gateway', failureBody(`could not connect to ${host}:${port}`, failure));
  });
  upstream.once('close', () => socket.destroy());
  socket.once('close', () => upstream.destroy());
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
