import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { sendCut } from './bodyCut.js';
import { type Faults, isBodyCut } from './faults.js';
import type { Settings } from './options.js';
import type { Resource } from './resources.js';
import { type Exchange, sendRedirect, sendResource, sendText } from './send.js';
import type { Traffic } from './traffic.js';

/** A redirect answer: where to and with which status. */
export interface Redirect {
  readonly status: number;
  readonly location: string;
}

/** Everything one origin's requests read; settings are read per request. */
export interface OriginState {
  readonly settings: Settings;
  readonly faults: Faults;
  readonly traffic: Traffic;
  readonly clock: () => number;
  /** Aborts when the site closes, cutting short latency waits and throttled bodies. */
  readonly closing: AbortSignal;
  /** What a path is, decided when its request arrives (one deploy, one profile per response). */
  lookup(pathname: string): Resource | Redirect | undefined;
}

/**
 * Serves one request: record it, take its fault and what it resolves to,
 * wait out the latency, then fail it if a fault is armed, else redirect or
 * answer from the resource (a 304 when its validators match). A static host
 * ignores the query, so `/main.dart.js?v=1` gets whatever version is current.
 */
export async function handleRequest(req: IncomingMessage, res: ServerResponse, state: OriginState): Promise<void> {
  const { pathname, search } = new URL(req.url ?? '/', 'http://site.invalid');
  const method = req.method ?? 'GET';
  state.traffic.record({ method, pathname, search, headers: { ...req.headers } });
  // Taken on arrival so `times` counts requests in the order they came, and
  // so a deploy during the latency does not change what this request gets.
  const fault = state.faults.take(pathname);
  const target = state.lookup(pathname);
  const { latencyMs } = state.settings;
  if (latencyMs > 0)
    await sleep(latencyMs, undefined, { signal: state.closing });

  const ex: Exchange = { req, res, pathname, settings: state.settings, traffic: state.traffic, clock: state.clock, closing: state.closing };
  if (fault === 'hang')
    return; // Left open until the client gives up or the site closes.
  if (fault === 'reset') {
    req.socket.destroy();
    return;
  }
  if (fault && !isBodyCut(fault))
    return sendText(ex, fault.status, `injected failure: ${fault.status}\n`);
  if (method !== 'GET' && method !== 'HEAD')
    return sendText(ex, 405, `${method} is not supported; use GET or HEAD\n`, { allow: 'GET, HEAD' });
  if (!target)
    return sendText(ex, 404, `not found: ${pathname}\n`);
  if ('location' in target)
    return sendRedirect(ex, target.status, target.location);
  if (fault)
    return sendCut(ex, target, fault);
  return sendResource(ex, target);
}
