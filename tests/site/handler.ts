import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { acceptsGzip, gzipped, isCompressible } from './encoding.js';
import type { Faults } from './faults.js';
import type { Settings } from './options.js';
import type { Resources } from './resources.js';
import { writeThrottled } from './throttle.js';
import type { Traffic } from './traffic.js';

/** Everything one site's requests read; settings are read per request. */
export interface SiteState {
  readonly settings: Settings;
  readonly resources: Resources;
  readonly faults: Faults;
  readonly traffic: Traffic;
  /** Aborts when the site closes, cutting short latency waits and throttled bodies. */
  readonly closing: AbortSignal;
}

/**
 * Serves one request: record it, wait out the latency, then fail it if a
 * fault is armed, else answer from the resources. A static host ignores the
 * query, so `/main.dart.js?v=1` gets whatever version is current.
 */
export async function handleRequest(req: IncomingMessage, res: ServerResponse, state: SiteState): Promise<void> {
  const { pathname, search } = new URL(req.url ?? '/', 'http://site.invalid');
  const method = req.method ?? 'GET';
  state.traffic.record({ method, pathname, search, headers: { ...req.headers } });
  // Taken on arrival so `times` counts requests in the order they came.
  const fault = state.faults.take(pathname);
  const { latencyMs, bandwidthBytesPerSec, gzip, version } = state.settings;
  if (latencyMs > 0)
    await sleep(latencyMs, undefined, { signal: state.closing });

  if (fault === 'hang')
    return; // Left open until the client gives up or the site closes.
  if (fault === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault)
    return sendText(res, fault.status, `injected failure: ${fault.status}\n`, state);
  if (method !== 'GET' && method !== 'HEAD')
    return sendText(res, 405, `${method} is not supported; use GET or HEAD\n`, state, { allow: 'GET, HEAD' });

  const resource = state.resources.resolve(pathname, version);
  if (!resource)
    return sendText(res, 404, `not found: ${pathname}\n`, state);

  let body = resource.body;
  const headers: OutgoingHttpHeaders = { 'content-type': resource.contentType, ...resource.headers };
  if (gzip && isCompressible(resource.contentType)) {
    headers.vary = 'accept-encoding';
    if (acceptsGzip(req.headers['accept-encoding'])) {
      body = await gzipped(body);
      headers['content-encoding'] = 'gzip';
    }
  }
  headers['content-length'] = body.length;
  if (res.destroyed)
    return;
  res.writeHead(200, headers);
  if (method === 'HEAD') {
    res.end();
    return;
  }
  if (bandwidthBytesPerSec > 0)
    return writeThrottled(res, body, bandwidthBytesPerSec, state.closing, count => state.traffic.addBytes(count));
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  res.end(body);
  state.traffic.addBytes(body.length);
}

function sendText(res: ServerResponse, status: number, text: string, state: SiteState, extra: OutgoingHttpHeaders = {}): void {
  const body = Buffer.from(text);
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': body.length,
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    ...extra,
  });
  if (res.req.method === 'HEAD') {
    res.end();
    return;
  }
  res.end(body);
  state.traffic.addBytes(body.length);
}
