import createDebug from 'debug';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { format } from 'node:util';
import { test, expect, expectWorkingApp } from '../cache/fixtures.js';
import { loadApp } from '../../site/server.js';
import { listFiles } from '../../helpers/tempDir.js';
import type { ServedEvent } from '../../../src/index.js';

const CANARIES = ['CANARY-LOOPBACK-COOKIE', 'CANARY-LOOPBACK-AUTH', 'CANARY-LOOPBACK-PROXY'];

/** Runs `work` with `DEBUG=bundle-cache` on in this process, returning every line the namespace printed. */
async function withDebugLines(work: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const previousLog = createDebug.log;
  const previous = createDebug.disable();
  createDebug.log = (...args: unknown[]) => void lines.push(format(...args));
  createDebug.enable('bundle-cache');
  try {
    await work();
  } finally {
    createDebug.log = previousLog;
    createDebug.enable(previous);
  }
  return lines;
}

/** Records the raw request headers of every HTTP server created during `work`: here, the cache's loopback server. */
async function withServerHeaders(work: () => Promise<void>): Promise<string[][]> {
  const seen: string[][] = [];
  const createServer = http.createServer;
  http.createServer = ((...args: Parameters<typeof createServer>) => {
    const server = createServer(...args);
    server.prependListener('request', (request: http.IncomingMessage) => seen.push([...request.rawHeaders]));
    return server;
  }) as typeof createServer;
  try {
    await work();
  } finally {
    http.createServer = createServer;
  }
  return seen;
}

test('should never log or store the cookies and credentials the browser sends to the loopback server', async ({ browser, site, openCache, cacheDir }) => {
  const cache = await openCache();
  const served: ServedEvent[] = [];
  cache.on('served', event => served.push(event));
  let loopbackHeaders: string[][] = [];
  const debugLines = await withDebugLines(async () => {
    loopbackHeaders = await withServerHeaders(async () => {
      const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${CANARIES[1]}` } });
      // A cookie of 127.0.0.1 goes to every port of it, the loopback server's included.
      await context.addCookies([{ name: 'session', value: CANARIES[0]!, url: site.origin }]);
      await cache.attach(context);
      // Chromium refuses Proxy-Authorization as an extra header; a user's own route can still add it.
      await context.route('**/*', route => route.fallback({ headers: { ...route.request().headers(), 'proxy-authorization': `Basic ${CANARIES[2]}` } }));
      for (let i = 0; i < 2; i++)
        expectWorkingApp(await loadApp(await context.newPage(), site.pageUrl + '?hash=1'), site);
      await context.close();
      await cache.close();
    });
  });

  // Loopback was used, with the namespace on, and the canaries did reach the loopback server...
  expect(served.filter(event => event.via === 'loopback').length).toBeGreaterThanOrEqual(6);
  expect(debugLines.some(line => line.includes('via loopback'))).toBe(true);
  expect(debugLines.some(line => line.includes('loopback server listening'))).toBe(true);
  const sent = loopbackHeaders.flat().join('\n');
  expect(loopbackHeaders.length).toBeGreaterThanOrEqual(6);
  for (const canary of CANARIES.slice(0, 2))
    expect(sent, `${canary} sent to the loopback server`).toContain(canary);
  // ...and appear in no debug line and no file of the cache.
  for (const canary of CANARIES) {
    expect(debugLines.filter(line => line.includes(canary)), canary).toEqual([]);
    for (const file of await listFiles(cacheDir))
      expect((await fs.readFile(path.join(cacheDir, file))).includes(canary), `${canary} in ${file}`).toBe(false);
  }
});
