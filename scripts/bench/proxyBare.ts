// A reference, not a product: the least a Node forward proxy can do for plain
// HTTP (node:http server, a keep-alive agent, pipe both ways; no cache, no
// limits, no hop-by-hop handling). What it costs per request is the floor of
// Node's HTTP stack that bundle-cache proxy is compared with
// (scripts/bench/proxyPassThrough.ts). Prints `{"url": …}` once it listens.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const agent = new http.Agent({ keepAlive: true });
const server = http.createServer((req, res) => {
  const target = new URL(req.url ?? '');
  const upstream = http.request({ host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers, agent }, response => {
    res.writeHead(response.statusCode ?? 502, response.headers);
    response.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  res.on('error', () => {});
  req.pipe(upstream);
});
// SIGINT ends it normally, so that --cpu-prof writes its profile.
process.once('SIGINT', () => process.exit(0));
server.on('clientError', (_error, socket) => socket.destroy());
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })}\n`));
