import type { IncomingHttpHeaders } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { siteCertificate } from './tls.js';

/** A response exactly as it came off the wire: no decompression, no redirects. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
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
        body: Buffer.concat(chunks),
        headMs,
        totalMs: performance.now() - started,
      }));
    });
    req.on('error', reject);
    req.end();
  });
}
