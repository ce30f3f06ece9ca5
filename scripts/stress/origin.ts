import { sha256Hex } from '../../tests/site/digest.js';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A response the origin gives for one path: a fixed body, or a fresh one per request. */
export interface Served {
  readonly body?: Buffer;
  readonly headers?: Record<string, string>;
}

/**
 * A small origin for the guarantee suite: every request for a path gets a
 * body of its own (`// <path> #<n>` and padding of random length) unless a
 * fixed body was set, and every body's sha256 is remembered per path, so a
 * stored entry can be traced to what the origin really sent for its URL.
 */
export interface Origin {
  readonly url: string;
  set(pathname: string, served: Served): void;
  /** sha256 of every body sent for the path. */
  sent(pathname: string): ReadonlySet<string>;
  /** Request headers as received, in order. */
  readonly requests: ReadonlyArray<{ path: string; headers: IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startOrigin(options: { maxPadding?: number } = {}): Promise<Origin> {
  const maxPadding = options.maxPadding ?? 32 * 1024;
  const fixed = new Map<string, Served>();
  const hits = new Map<string, number>();
  const sent = new Map<string, Set<string>>();
  const requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const server = createServer((req, res) => {
    const pathname = req.url ?? '/';
    const n = (hits.get(pathname) ?? 0) + 1;
    hits.set(pathname, n);
    requests.push({ path: pathname, headers: req.headers });
    const served = fixed.get(pathname);
    const body = served?.body ?? Buffer.from(`// ${pathname.slice(0, 200)} #${n}\n${'x'.repeat(Math.floor(Math.random() * maxPadding))}\n`);
    sent.set(pathname, (sent.get(pathname) ?? new Set()).add(sha256Hex(body)));
    res.writeHead(200, { 'content-type': 'text/javascript', 'content-length': body.length, ...served?.headers });
    res.end(body);
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: (pathname, served) => fixed.set(pathname, served),
    sent: pathname => sent.get(pathname) ?? new Set(),
    requests,
    close: () => new Promise(resolve => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
