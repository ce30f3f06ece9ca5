import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * The scraper page: one 5.8 MB bundle (sass.dart.js as main.dart.js)
 * that the rules cache, and `images` images plus `xhrs` XHRs that no rule
 * caches, each answered after `latencyMs`. The page sets `window.__done` to
 * `performance.now()` once everything arrived.
 */
export async function startScraperOrigin(options: { images: number; xhrs: number; latencyMs: number }): Promise<{ url: string; hits: () => number; close(): Promise<void> }> {
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
  let hits = 0;
  const server = http.createServer((req, res) => {
    hits++;
    setTimeout(() => {
      const url = req.url ?? '/';
      if (url.startsWith('/main.dart.js'))
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'public, max-age=0, must-revalidate', 'etag': '"sass"', 'content-length': bundle.length }).end(bundle);
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
