import http from 'node:http';
import type { AddressInfo } from 'node:net';

// The smallest origin that tells a cached bundle from a fetched one: a page
// that loads /main.dart.js?v=<name> (a 1 MB script, long-lived as a hashed
// build is) and reports its length, and /hits, how often each bundle was sent.
const BUNDLE = `window.bundleLength = ${1024 * 1024};\n/*${'x'.repeat(1024 * 1024)}*/\n`;

export interface Origin {
  readonly url: string;
  close(): Promise<void>;
}

export async function startOrigin(): Promise<Origin> {
  const hits = new Map<string, number>();
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://origin');
    if (url.pathname === '/main.dart.js') {
      hits.set(url.search, (hits.get(url.search) ?? 0) + 1);
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=31536000, immutable' });
      response.end(BUNDLE);
    } else if (url.pathname === '/hits') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify(Object.fromEntries(hits)));
    } else {
      const bundle = `/main.dart.js?v=${encodeURIComponent(url.searchParams.get('bundle') ?? 'page')}`;
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><title>peer smoke</title><script src="${bundle}"></script>`);
    }
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise(resolve => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** How often the origin sent the bundle of `?bundle=<name>` pages. */
export async function bundleHits(origin: string, name: string): Promise<number> {
  const hits = await (await fetch(`${origin}/hits`)).json() as Record<string, number>;
  return hits[`?v=${encodeURIComponent(name)}`] ?? 0;
}

/** The origin's address, set by the global setup for every worker. */
export function originUrl(): string {
  const url = process.env.PEER_SMOKE_ORIGIN;
  if (!url)
    throw new Error('PEER_SMOKE_ORIGIN is not set: run the smoke suite with its config (peer/playwright.config.ts), whose global setup starts the origin');
  return url;
}
