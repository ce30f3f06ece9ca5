import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../log.js';
import type { BackendAnswer, OriginFetcher, ProxyBackend, ProxyRequest } from './backend.js';
import { answerError, describeUpstreamFailure, failureBody } from './failures.js';
import { endToEnd, headerRecord } from './hopByHop.js';
import type { ProxyLimits } from './limits.js';
import type { ProxyCounters } from './proxyStats.js';
import { ProxyLoopError, hostOf, isOwnAddress, type Upstream } from './upstream.js';

export interface ExchangeDeps {
  readonly backend: ProxyBackend;
  readonly upstream: Upstream;
  readonly limits: ProxyLimits;
  readonly stats: ProxyCounters;
  readonly ownPort: () => number;
}

/**
 * One HTTP request the proxy can read: a plain forward-proxy request
 * (absolute URL), or one inside an HTTPS connection it terminated
 * (`origin` is then `https://host:port`). Cacheable requests go to the
 * backend; everything else, and whatever the backend leaves, is streamed
 * to the origin and back.
 */
export async function handleExchange(deps: ExchangeDeps, req: IncomingMessage, res: ServerResponse, origin: string | undefined): Promise<void> {
  const { stats, limits } = deps;
  stats.requests++;
  const rawUrl = req.url ?? '';
  if (rawUrl.length > limits.maxUrlBytes)
    return reject(deps, res, 414, `the URL is ${rawUrl.length} bytes, more than the proxy's limit of ${limits.maxUrlBytes}`, 'shorten the URL (move data into a POST body).');
  const target = targetOf(rawUrl, origin);
  if (!target) {
    return reject(deps, res, 400, `${JSON.stringify(rawUrl.slice(0, 200))} is not a URL a forward proxy can fetch`,
        'this is an HTTP proxy: set it as the client\'s proxy (Playwright\'s proxy: { server }, --proxy-server, HTTP(S)_PROXY) and request the site\'s own URL.');
  }
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  if (isOwnAddress(hostOf(target), port, deps.ownPort()))
    return reject(deps, res, 508, `${target.host} is the proxy itself`, 'request the origin\'s own address, not the proxy\'s.');
  // The headers as the cache reads them are built only if the backend asks: most requests match no rule.
  let headers: Record<string, string> | undefined;
  const request: ProxyRequest = { method: req.method ?? 'GET', url: target.href, get headers() {
    return headers ??= headerRecord(req.rawHeaders);
  } };
  const fetchOrigin: OriginFetcher = (url, headers) => deps.upstream.fetch(url, headers);
  const ticket = deps.backend.accept(request, fetchOrigin);
  if (ticket) {
    // A GET's body, if any, is not the cache's business; read it so the connection can be reused.
    req.resume();
    const answer = await deps.backend.resolve(ticket, fetchOrigin).catch((error: unknown): BackendAnswer => {
      // A bug in the cache must not fail the request: the origin can still answer it.
      log.warn(`proxy: the cache failed on ${ticket.url} (${(error as Error)?.message ?? String(error)}); passed through`);
      return { kind: 'pass', reason: 'the cache failed' };
    });
    if (answer.kind !== 'pass')
      return writeAnswer(deps, res, ticket.url, answer);
    log.debug(`proxy ${ticket.url}: the cache could not answer${answer.reason ? ` (${answer.reason})` : ''}, passed through`);
  }
  return forward(deps, req, res, target);
}

function targetOf(rawUrl: string, origin: string | undefined): URL | undefined {
  if (!origin && !/^https?:\/\//i.test(rawUrl))
    return undefined;
  try {
    const url = new URL(rawUrl, origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}

function writeAnswer(deps: ExchangeDeps, res: ServerResponse, url: string, answer: Exclude<BackendAnswer, { kind: 'pass' }>): void {
  if (res.destroyed)
    return;
  if (answer.kind === 'offline') {
    deps.stats.offline++;
    return answerError(res, 504, failureBody(`${url} is not cached`, { cause: 'offline mode', fix: answer.message }));
  }
  deps.stats.fromCache += answer.kind === 'serve' ? 1 : 0;
  deps.stats.fromOrigin += answer.kind === 'origin' ? 1 : 0;
  const headers: Record<string, string | string[]> = { ...answer.headers };
  // Set-Cookie lines travel joined by newlines (see upstream.ts); each goes out as its own line.
  if (answer.headers['set-cookie'])
    headers['set-cookie'] = answer.headers['set-cookie'].split('\n');
  res.writeHead(answer.status, headers);
  res.end(answer.body);
}

/**
 * Streams the request to the origin and its answer back, with back-pressure
 * both ways: nothing is held whole. Settles when the client's response
 * closes (answered in full, cut, or failed). Plain pipe() and listeners, not
 * stream.pipeline(): this runs for every request no rule caches, and
 * pipeline's AbortController (a DOMException with a stack per request) was
 * a tenth of the proxy's CPU per request (docs/bench-proxy.md).
 */
function forward(deps: ExchangeDeps, req: IncomingMessage, res: ServerResponse, target: URL): Promise<void> {
  const { stats } = deps;
  stats.passedThrough++;
  return new Promise(resolve => {
    let request: ClientRequest;
    try {
      request = deps.upstream.request(target, req.method ?? 'GET', endToEnd(req.rawHeaders));
    } catch (error) {
      failed(deps, res, target, error);
      return resolve();
    }
    res.once('close', () => {
      // A client that leaves ends the origin's stream too.
      if (!res.writableFinished)
        request.destroy();
      resolve();
    });
    request.once('response', response => {
      response.on('data', (chunk: Buffer) => {
        stats.bytesStreamed += chunk.length;
      });
      // An origin that stops mid-body: the client's answer is cut as well, never ended short as if complete.
      response.once('close', () => {
        if (!response.complete)
          res.destroy();
      });
      response.once('error', () => res.destroy());
      res.writeHead(response.statusCode ?? 502, response.statusMessage, endToEnd(response.rawHeaders));
      // A client that stops reading stops the origin's stream too (TCP back-pressure).
      response.pipe(res);
    });
    request.once('error', error => failed(deps, res, target, error));
    // Not pipeline(): a failed upstream must not destroy the client's request before it gets its 502.
    req.pipe(request);
  });
}

function failed(deps: ExchangeDeps, res: ServerResponse, target: URL, error: unknown): void {
  if (error instanceof ProxyLoopError)
    return reject(deps, res, 508, error.message, 'request the origin\'s own address, not the proxy\'s.');
  deps.stats.upstreamFailures++;
  const failure = describeUpstreamFailure(error, target.host);
  log.debug(`proxy ${target.origin}: ${failure.cause}`);
  answerError(res, failure.status, failureBody(`could not get ${target.origin}${target.pathname} from ${target.host}`, failure));
}

function reject(deps: ExchangeDeps, res: ServerResponse, status: number, cause: string, fix: string): void {
  deps.stats.rejected++;
  answerError(res, status, failureBody('request refused', { cause, fix }));
}
