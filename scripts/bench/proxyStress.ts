import http from 'node:http';
import net from 'node:net';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from '../../src/index.js';
import { startSite } from '../../tests/site/server.js';
import { killRows } from './proxyKill.js';
import { makeTempDir, removeDir } from '../../tests/helpers/tempDir.js';
import { processUsage, startProxyProcess } from './proxyProcess.js';
import { startScraperOrigin } from './scraperOrigin.js';
import { formatMB, median } from './stats.js';

/** `browsers` Chromiums at once through one proxy process, each loading a 600-request page. */
export async function fleetRows(browsers: number): Promise<string> {
  const dir = await makeTempDir();
  const origin = await startScraperOrigin({ images: 299, xhrs: 299, latencyMs: 5 });
  const proxy = await startProxyProcess(dir);
  const base = chromiumLaunchOptions();
  try {
    const before = processUsage(proxy.child.pid!);
    const results = await Promise.all(Array.from({ length: browsers }, async () => {
      const browser = await chromium.launch({ ...base, proxy: { server: proxy.url }, args: [...base.args, `--ignore-certificate-errors-spki-list=${proxy.spkiSha256}`] });
      const page = await browser.newPage();
      let requests = 0;
      let failed = 0;
      page.on('requestfinished', () => requests++);
      page.on('requestfailed', () => (requests++, failed++));
      page.on('response', response => void (response.status() >= 400 && failed++));
      // 8 browsers on 2 cores: the page's load event can take long; what is measured is that it completes.
      await page.goto(origin.url, { waitUntil: 'commit', timeout: 300_000 });
      await page.waitForFunction(() => (window as unknown as { __done?: number }).__done, null, { timeout: 300_000 });
      await browser.close();
      return { requests, failed };
    }));
    const after = processUsage(proxy.child.pid!);
    const requests = results.reduce((sum, result) => sum + result.requests, 0);
    const failed = results.reduce((sum, result) => sum + result.failed, 0);
    return [
      `### ${browsers} browsers at once through one proxy process (a 600-request page each: one 5.8 MB bundle, 299 images, 299 XHRs)\n`,
      '| browsers | requests | failed | proxy peak RSS | proxy CPU | CPU per request |\n|---:|---:|---:|---:|---:|---:|',
      `| ${browsers} | ${requests} | ${failed} | ${formatMB(after.peakRss)} | ${(after.cpuSeconds - before.cpuSeconds).toFixed(2)} s | ${((after.cpuSeconds - before.cpuSeconds) / requests * 1e6).toFixed(0)} µs |`,
      '',
    ].join('\n');
  } finally {
    proxy.child.kill('SIGKILL');
    await origin.close();
    await removeDir(dir);
  }
}

/** GET through the proxy (absolute form); resolves with the status and how long it took. */
function get(proxyUrl: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; ms: number; bytes: number }> {
  const proxy = new URL(proxyUrl);
  const started = performance.now();
  return new Promise(resolve => {
    const request = http.request({ host: proxy.hostname, port: proxy.port, path: url, headers, agent: false }, response => {
      let bytes = 0;
      response.on('data', chunk => bytes += chunk.length);
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started, bytes }));
      response.on('error', () => resolve({ status: 0, ms: performance.now() - started, bytes }));
    });
    request.on('error', () => resolve({ status: 0, ms: performance.now() - started, bytes: 0 }));
    request.end();
  });
}

export async function stressRows(): Promise<string> {
  const lines: string[] = [await killRows(3)];
  // Hostile clients: other clients' requests with and without them.
  const hostileDir = await makeTempDir();
  const origin = await startSite();
  const proxy = await startProxyProcess(hostileDir);
  const sockets: net.Socket[] = [];
  try {
    const sample = async () => {
      const results = [];
      for (let i = 0; i < 100; i++)
        results.push(await get(proxy.url, `${origin.origin}/${i % 2 ? 'main.dart.js?v=1' : 'index.html'}`));
      return { ok: results.filter(result => result.status === 200).length, median: median(results.map(result => result.ms)) };
    };
    const calm = await sample();
    const open = () => {
      const socket = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
      socket.on('error', () => {});
      sockets.push(socket);
      return socket;
    };
    for (let i = 0; i < 200; i++)
      open().write(`GET ${origin.origin}/ HTTP/1.1\r\nHost: x\r\n`);
    const drip = setInterval(() => sockets.slice(0, 200).forEach(socket => socket.write('X-Drip: 1\r\n')), 1000);
    for (let i = 0; i < 20; i++)
      open().write(`GET ${origin.origin}/ HTTP/1.1\r\nHost: x\r\nCookie: ${'c'.repeat(100_000)}\r\n\r\n`);
    for (let i = 0; i < 20; i++)
      open().write(`CONNECT ${new URL(origin.origin).host} HTTP/1.1\r\n\r\n\x16\x03\x01\x00\x05garbage!garbage!${'\0'.repeat(1000)}`);
    const hostile = await sample();
    clearInterval(drip);
    lines.push('### Hostile clients (200 slowloris sockets, 20 × 100 KB headers, 20 garbage-after-CONNECT) vs 100 ordinary requests\n',
        '| while | ordinary requests OK | median time |\n|---|---:|---:|',
        `| nothing else | ${calm.ok}/100 | ${calm.median.toFixed(1)} ms |`,
        `| hostile clients | ${hostile.ok}/100 | ${hostile.median.toFixed(1)} ms |`, '');
  } finally {
    sockets.forEach(socket => socket.destroy());
    proxy.child.kill('SIGKILL');
    await origin.close();
    await removeDir(hostileDir);
  }
  return lines.join('\n');
}
