import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { siteCertificate } from './tls.js';

/** A response exactly as it came off the wire: no decompression, no redirects. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Header lines as sent, `[name, value, name, value, …]`: repeated lines stay separate. */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  /** Milliseconds from sending the request to its response head. */
  readonly headMs: number;
  /** Milliseconds from sending the request to the end of its body. */
  readonly totalMs: number;
}

/**
 * GETs (or HEADs) a URL of a site without the decoding `fetch` does, so tests
 * can see gzip bytes and exact headers. HTTPS trusts only the site's own
 * certificate. A new connection per call keeps requests independent.
 */
export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<RawResponse> {
  const target = new URL(url);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = send(target, {
      method: init.method ?? 'GET',
      headers: init.headers ?? {},
      agent: false,
      // Room for the hostile headers tests send on purpose (a 100 KB ETag).
      maxHeaderSize: 1024 * 1024,
      ...(target.protocol === 'https:' ? { ca: siteCertificate() } : {}),
    }, res => {
      const headMs = performance.now() - started;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete)
          reject(new Error(`${url}: connection closed before the body ended`));
      });
      res.on('end', () => resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        rawHeaders: res.rawHeaders,
        body: Buffer.concat(chunks),
        headMs,
        totalMs: performance.now() - started,
      }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Everything an HTTP/1.1 server wrote on one connection, and how the connection ended. */
export interface WireResponse {
  /** The status line and header lines, CRLF-separated, without the blank line. */
  readonly head: string;
  /** The bytes after the head, exactly as sent (still chunk-framed or gzipped). */
  readonly body: Buffer;
  /**
   * `'reset'`: the read failed with ECONNRESET; `'close'`: it ended. Linux
   * reports an RST that arrives after data as an end once that data is
   * read, so `'close'` does not prove a FIN.
   */
  readonly end: 'close' | 'reset';
}

/**
 * Sends one GET over a plain TCP socket with `Connection: close` and keeps
 * what comes back byte for byte, so a test sees a body's framing and where
 * it stopped, which Node's parser hides or turns into an error.
 */
export function wireRequest(url: string, headers: Record<string, string> = {}): Promise<WireResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:')
    throw new Error(`wireRequest speaks plain HTTP only, got ${url}`);
  const lines = [`GET ${target.pathname}${target.search} HTTP/1.1`, `Host: ${target.host}`, 'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    const finish = (end: 'close' | 'reset') => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      if (split === -1)
        return reject(new Error(`${url}: the connection ended (${end}) before a response head`));
      resolve({ head: all.subarray(0, split).toString('latin1'), body: all.subarray(split + 4), end });
    };
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish('close'));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? finish('reset') : reject(error)));
    socket.write(lines.join('\r\n') + '\r\n\r\n');
  });
}
