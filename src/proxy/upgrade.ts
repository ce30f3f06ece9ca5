import type { IncomingMessage } from 'node:http';
import type net from 'node:net';
import { log } from '../log.js';
import { answerOnSocket, describeUpstreamFailure, failureBody } from './failures.js';
import { endToEnd } from './hopByHop.js';
import type { ProxyCounters } from './proxyStats.js';
import { hostOf, type Upstream } from './upstream.js';

/**
 * An upgrade request (a WebSocket), plain or inside intercepted HTTPS:
 * nothing to cache, so the request goes to the origin as it came (its
 * Connection and Upgrade headers kept) and the two sockets are piped.
 */
export function handleUpgrade(deps: { upstream: Upstream; stats: ProxyCounters; own: (socket: net.Socket) => void }, req: IncomingMessage, socket: net.Socket, head: Buffer, origin: string | undefined): void {
  deps.stats.requests++;
  socket.on('error', () => socket.destroy());
  let target: URL;
  try {
    target = new URL(req.url ?? '', origin);
    if (!/^(https?|wss?):$/.test(target.protocol))
      throw new Error('not http');
  } catch {
    deps.stats.rejected++;
    return answerOnSocket(socket, 400, 'Bad Request', failureBody('upgrade refused', { cause: `${JSON.stringify((req.url ?? '').slice(0, 200))} is not an absolute http(s) URL`, fix: 'send the upgrade to the proxy with the origin\'s absolute URL.' }));
  }
  const secure = target.protocol === 'https:' || target.protocol === 'wss:';
  const port = Number(target.port) || (secure ? 443 : 80);
  let upstream: net.Socket;
  try {
    upstream = deps.upstream.connect(hostOf(target), port, secure);
  } catch (error) {
    deps.stats.rejected++;
    return answerOnSocket(socket, 508, 'Loop Detected', failureBody('upgrade refused', describeUpstreamFailure(error, target.host)));
  }
  deps.own(upstream);
  deps.stats.passedThrough++;
  let connected = false;
  upstream.once(secure ? 'secureConnect' : 'connect', () => {
    connected = true;
    log.debug(`proxy upgrade ${target.origin} (${req.headers.upgrade ?? 'unknown protocol'})`);
    const raw = endToEnd(req.rawHeaders, true);
    const lines = [`${req.method ?? 'GET'} ${target.pathname}${target.search} HTTP/1.1`];
    for (let i = 0; i < raw.length; i += 2)
      lines.push(`${raw[i]}: ${raw[i + 1]}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length)
      upstream.write(head);
    socket.pipe(upstream);
    upstream.pipe(socket);
  });
  upstream.on('error', error => {
    if (connected)
      return socket.destroy();
    deps.stats.upstreamFailures++;
    const failure = describeUpstreamFailure(error, target.host);
    answerOnSocket(socket, failure.status, 'Bad Gateway', failureBody(`could not connect to ${target.host}`, failure));
  });
  upstream.once('close', () => socket.destroy());
  socket.once('close', () => upstream.destroy());
}
