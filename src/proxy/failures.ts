import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errnoCode } from '../errors.js';

/** What the client is told when the proxy cannot get an answer from the origin. */
export interface UpstreamFailure {
  readonly status: 502 | 504;
  readonly cause: string;
  readonly fix: string;
}

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Names the cause of a failed connection or request to `host`, and what would fix it. */
export function describeUpstreamFailure(error: unknown, host: string): UpstreamFailure {
  const code = errnoCode(error) ?? '';
  const message = (error as Error | undefined)?.message?.split('\n')[0] ?? String(error);
  const cause = code && !message.includes(code) ? `${code}: ${message}` : message;
  if (CERTIFICATE_CODES.has(code)) {
    return { status: 502, cause, fix: `the proxy verifies the origin's certificate. If ${host} is a staging host with its own CA, start Node with NODE_EXTRA_CA_CERTS=/path/to/its-ca.pem; for a self-signed origin you trust, start the proxy with --ignore-https-errors (ignoreHTTPSErrors: true).` };
  }
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { status: 502, cause, fix: `check the host name ${host} (DNS could not resolve it from this machine).` };
    case 'ECONNREFUSED':
      return { status: 502, cause, fix: `nothing listens at ${host}: start the origin, or check the port.` };
    case 'ETIMEDOUT':
    case 'ERR_PROXY_CONNECT_TIMEOUT':
      return { status: 504, cause, fix: `${host} did not accept a connection in time: check that it is up and reachable from this machine.` };
    case 'ERR_PROXY_LOOP':
      return { status: 502, cause, fix: 'this address is the proxy itself: request the origin\'s own address.' };
    default:
      return { status: 502, cause, fix: `check that ${host} is up; run with DEBUG=bundle-cache for every step the proxy took.` };
  }
}

/** The plain-text body the proxy answers with when it fails: what failed, why, and the fix. */
export function failureBody(what: string, failure: Pick<UpstreamFailure, 'cause' | 'fix'>): string {
  return `bundle-cache proxy: ${what}: ${failure.cause}.\nFix: ${failure.fix}\n`;
}

/** Answers a request with the proxy's own error, unless an answer has begun (then the connection is cut). */
export function answerError(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const bytes = Buffer.from(body);
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': bytes.length, 'cache-control': 'no-store' });
  res.end(bytes);
}

/** Answers on a raw socket (a CONNECT, a request Node could not parse) and closes it. */
export function answerOnSocket(socket: Duplex, status: number, reason: string, body: string): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const bytes = Buffer.from(body);
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${bytes.length}\r\nConnection: close\r\n\r\n${body}`);
}
