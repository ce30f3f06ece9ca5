import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ScraperOriginOptions {
  readonly images: number;
  readonly xhrs: number;
  readonly latencyMs: number;
}

export interface ScraperOrigin {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The scraper page: one 5.8 MB bundle (sass.dart.js as main.dart.js)
 * that the rules cache, and `images` images plus `xhrs` XHRs that no rule
 * caches, each answered after `latencyMs`. The page sets `window.__done` to
 * `performance.now()` once everything arrived.
 */
export async function startScraperOrigin(options: ScraperOriginOptions): Promise<ScraperOrigin & { hits: () => number }> {
  const bundle = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('sass')), 'sass.dart.js'));
  // A 1x1 PNG.
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
  const page = `<!doctype html><html><body><script>
    const start = performance.now(); let pending = ${options.images + options.xhrs + 1};
    const done = () => { if (--pending === 0) window.__done = performance.now() - start; };
    const s = document.createElement('script'); s.src = '/main.dart.js'; s.onload = s.onerror = done; document.head.append(s);
    for (let i = 0; i < ${options.images}; i++) { const img = new Image(); img.onload = img.onerror = done; img.src = '/img/' + i + '.png?r=' + Math.random(); document.body.append(img); }
    for (let i = 0; i < ${options.xhrs}; i++) fetch('/api/item/' + i + '?r=' + Math.random()).then(r => r.text()).finally(done);
  </script></body></html>`;
  const bundleHeaders = { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=0, must-revalidate', 'etag': '"sass"' };
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    setTimeout(() => {
      const url = req.url ?? '/';
      // As any origin that sends an ETag does: a matching If-None-Match is a bodiless 304, so a cache's check costs a round trip, not the body.
      if (url.startsWith('/main.dart.js') && req.headers['if-none-match'] === bundleHeaders.etag)
        res.writeHead(304, bundleHeaders).end();
      else if (url.startsWith('/main.dart.js'))
        res.writeHead(200, { ...bundleHeaders, 'content-length': bundle.length }).end(bundle);
      else if (url.startsWith('/img/'))
        res.writeHead(200, { 'content-type': 'image/png', 'cache-control': 'no-store', 'content-length': png.length }).end(png);
      else if (url.startsWith('/api/'))
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ id: url }));
      else
        res.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-cache' }).end(page);
    }, options.latencyMs);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    hits: () => hits,
    close: () => new Promise(resolve => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/**
 * The same origin in a process of its own, as a real origin is: its work
 * does not share an event loop with the proxy or the route being measured
 * (as scripts/bench/originProcess.ts does for the main benchmark).
 */
export async function startScraperOriginProcess(options: ScraperOriginOptions): Promise<ScraperOrigin> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', message => resolve((message as { url: string }).url));
    child.once('exit', code => reject(new Error(`scraper origin process exited with ${code}`)));
  });
  return {
    url,
    close: () => new Promise(resolve => {
      child.once('exit', () => resolve());
      child.kill();
    }),
  };
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  const origin = await startScraperOrigin(JSON.parse(process.argv[2]!) as ScraperOriginOptions);
  process.send({ url: origin.url });
}
