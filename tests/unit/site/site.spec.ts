import { test as base, expect } from '@playwright/test';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { gunzipSync } from 'node:zlib';
import { rawRequest } from '../../site/client.js';
import { startSite, syntheticBundle, type Site, type SiteOptions } from '../../site/server.js';

// Each test gets its own site, started with `siteOptions` and closed after.
const test = base.extend<{ siteOptions: SiteOptions; site: Site }>({
  siteOptions: [{}, { option: true }],
  site: async ({ siteOptions }, use) => {
    const site = await startSite(siteOptions);
    await use(site);
    await site.close();
  },
});

const require = createRequire(import.meta.url);
const sassDartJs = readFileSync(join(dirname(require.resolve('sass')), 'sass.dart.js'));
const canvaskitWasm = readFileSync(require.resolve('canvaskit-wasm/bin/canvaskit.wasm'));
const canvaskitJs = readFileSync(require.resolve('canvaskit-wasm/bin/canvaskit.js'));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const MB = 1024 * 1024;

test.describe('bundles', () => {
  test('should serve main.dart.js as sass.dart.js plus a build trailer', async ({ site }) => {
    const res = await rawRequest(site.origin + '/main.dart.js?v=1');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['content-length']).toBe(String(res.body.length));
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.equals(Buffer.concat([sassDartJs, Buffer.from('\n// build 1\n')]))).toBe(true);
    expect(res.body.equals(site.body('/main.dart.js'))).toBe(true);
    expect(site.sha256('/main.dart.js')).toBe(sha256(res.body));
  });

  test('should serve canvaskit js and wasm byte for byte with their content types', async ({ site }) => {
    const js = await rawRequest(site.origin + '/canvaskit/canvaskit.js');
    const wasm = await rawRequest(site.origin + '/canvaskit/canvaskit.wasm');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect(js.body.equals(canvaskitJs)).toBe(true);
    expect(wasm.body.equals(canvaskitWasm)).toBe(true);
    expect(site.sha256('/canvaskit/canvaskit.wasm')).toBe(sha256(canvaskitWasm));
  });

  test('should serve the page and the bootstrap at their paths', async ({ site }) => {
    for (const pathname of ['/', '/index.html']) {
      const res = await rawRequest(site.origin + pathname);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body.toString()).toContain('<script src="/flutter_bootstrap.js" async></script>');
      expect(res.body.equals(site.body(pathname))).toBe(true);
    }
    const bootstrap = await rawRequest(site.origin + '/flutter_bootstrap.js');
    expect(bootstrap.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(bootstrap.body.toString()).toContain('CanvasKitInit');
  });

  test('should switch the page and main.dart.js to a new version', async ({ site }) => {
    expect(site.version).toBe(1);
    const before = await rawRequest(site.origin + '/');
    expect(before.body.toString()).toContain('/main.dart.js?v=1');
    site.setVersion(2);
    expect(site.version).toBe(2);
    const page = await rawRequest(site.origin + '/');
    expect(page.body.toString()).toContain('/main.dart.js?v=2');
    expect(page.body.toString()).toContain(site.sha256('/main.dart.js', 2));
    // A static host ignores the query: the old URL gets the new bytes.
    const main = await rawRequest(site.origin + '/main.dart.js?v=1');
    expect(main.body.subarray(-12).toString()).toBe('\n// build 2\n');
    expect(sha256(main.body)).toBe(site.sha256('/main.dart.js'));
    expect(site.sha256('/main.dart.js', 2)).not.toBe(site.sha256('/main.dart.js', 1));
  });

  test('should start at the version it is given', async () => {
    const site = await startSite({ version: 7 });
    try {
      expect((await rawRequest(site.pageUrl)).body.toString()).toContain('/main.dart.js?v=7');
    } finally {
      await site.close();
    }
  });

  test('should answer HEAD with the GET headers and no body', async ({ site }) => {
    const res = await rawRequest(site.origin + '/canvaskit/canvaskit.wasm', { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(canvaskitWasm.length));
    expect(res.body.length).toBe(0);
    expect(site.bytesSent()).toBe(0);
  });

  test('should answer 404 for unknown paths and 405 for other methods', async ({ site }) => {
    expect((await rawRequest(site.origin + '/nope.js')).status).toBe(404);
    expect((await rawRequest(site.origin + '/', { method: 'POST' })).status).toBe(405);
    expect(() => site.body('/nope.js')).toThrow(/serve\(\)/);
  });
});

test.describe('counters', () => {
  test('should count hits per pathname, ignoring the query', async ({ site }) => {
    await rawRequest(site.origin + '/main.dart.js?v=1');
    await rawRequest(site.origin + '/main.dart.js?v=2', { method: 'HEAD' });
    await rawRequest(site.origin + '/missing');
    expect(site.hits('/main.dart.js')).toBe(2);
    expect(site.hits('/missing')).toBe(1);
    expect(site.hits('/')).toBe(0);
    expect(site.totalHits()).toBe(3);
    expect(site.requests.map(r => [r.method, r.pathname, r.search])).toEqual([
      ['GET', '/main.dart.js', '?v=1'],
      ['HEAD', '/main.dart.js', '?v=2'],
      ['GET', '/missing', ''],
    ]);
    expect(site.requests[0]!.headers.host).toBe(new URL(site.origin).host);
  });

  test('should count body bytes sent and reset every counter', async ({ site }) => {
    await rawRequest(site.origin + '/canvaskit/canvaskit.js');
    expect(site.bytesSent()).toBe(canvaskitJs.length);
    site.resetCounters();
    expect([site.totalHits(), site.hits('/canvaskit/canvaskit.js'), site.bytesSent(), site.requests.length]).toEqual([0, 0, 0, 0]);
  });
});

test.describe('gzip', () => {
  test.use({ siteOptions: { gzip: true } });

  test('should gzip bodies for clients that accept it', async ({ site }) => {
    for (const pathname of ['/main.dart.js', '/canvaskit/canvaskit.wasm', '/']) {
      const res = await rawRequest(site.origin + pathname, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(res.headers.vary).toBe('accept-encoding');
      expect(res.headers['content-length']).toBe(String(res.body.length));
      expect(res.body.length).toBeLessThan(site.body(pathname).length);
      expect(gunzipSync(res.body).equals(site.body(pathname))).toBe(true);
    }
  });

  test('should count compressed bytes as sent', async ({ site }) => {
    const res = await rawRequest(site.origin + '/canvaskit/canvaskit.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(site.bytesSent()).toBe(res.body.length);
  });

  test('should send identity bytes to clients that do not accept gzip', async ({ site }) => {
    for (const headers of [{}, { 'accept-encoding': 'gzip;q=0, br' }] as Record<string, string>[]) {
      const res = await rawRequest(site.origin + '/main.dart.js', { headers });
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.headers.vary).toBe('accept-encoding');
      expect(res.body.equals(site.body('/main.dart.js'))).toBe(true);
    }
  });

  test('should stop compressing after setGzip(false)', async ({ site }) => {
    site.setGzip(false);
    const res = await rawRequest(site.origin + '/main.dart.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body.equals(site.body('/main.dart.js'))).toBe(true);
  });
});

test.describe('network conditions', () => {
  test('should delay each response head by the latency', async ({ site }) => {
    site.setLatency(300);
    const res = await rawRequest(site.origin + '/flutter_bootstrap.js');
    expect(res.headMs).toBeGreaterThanOrEqual(290);
  });

  test('should cap the bandwidth of a body and keep its bytes intact', async ({ site }) => {
    site.serve('/one-mb.js', syntheticBundle(1), 'text/javascript');
    site.setBandwidth(2 * MB);
    const res = await rawRequest(site.origin + '/one-mb.js');
    expect(res.totalMs).toBeGreaterThanOrEqual(400);
    expect(res.headers['content-length']).toBe(String(MB));
    expect(res.body.equals(site.body('/one-mb.js'))).toBe(true);
    expect(site.bytesSent()).toBe(MB);
  });

  test('should apply latency and bandwidth given as options', async () => {
    const site = await startSite({ latencyMs: 100, bandwidthBytesPerSec: 256 * 1024 });
    try {
      site.serve('/quarter.js', syntheticBundle(0.25), 'text/javascript');
      const res = await rawRequest(site.origin + '/quarter.js');
      expect(res.headMs).toBeGreaterThanOrEqual(90);
      expect(res.totalMs).toBeGreaterThanOrEqual(800);
    } finally {
      await site.close();
    }
  });

  test('should stream again at full speed after setBandwidth(undefined)', async ({ site }) => {
    site.setBandwidth(1000);
    site.setBandwidth(undefined);
    const res = await rawRequest(site.origin + '/canvaskit/canvaskit.wasm');
    expect(res.body.length).toBe(canvaskitWasm.length);
  });
});

test.describe('failures', () => {
  test('should answer with the given status the given number of times', async ({ site }) => {
    site.fail('/main.dart.js', { status: 503 }, 2);
    expect((await rawRequest(site.origin + '/main.dart.js?v=1')).status).toBe(503);
    expect((await rawRequest(site.origin + '/main.dart.js?v=1')).status).toBe(503);
    expect((await rawRequest(site.origin + '/main.dart.js?v=1')).status).toBe(200);
    expect(site.hits('/main.dart.js')).toBe(3);
  });

  test('should keep failing until cleared when no count is given', async ({ site }) => {
    site.fail('/', { status: 500 });
    for (let i = 0; i < 3; i++)
      expect((await rawRequest(site.pageUrl)).status).toBe(500);
    site.clearFailures();
    expect((await rawRequest(site.pageUrl)).status).toBe(200);
  });

  test('should reset the connection', async ({ site }) => {
    site.fail('/canvaskit/canvaskit.wasm', 'reset', 1);
    await expect(fetch(site.origin + '/canvaskit/canvaskit.wasm')).rejects.toThrow();
    expect((await fetch(site.origin + '/canvaskit/canvaskit.wasm')).status).toBe(200);
    expect(site.hits('/canvaskit/canvaskit.wasm')).toBe(2);
  });

  test('should hang until the site closes, and close promptly', async () => {
    const site = await startSite();
    site.fail('/main.dart.js', 'hang');
    const hung = rawRequest(site.origin + '/main.dart.js');
    const settled = hung.then(() => 'answered', () => 'broken');
    await expect.poll(() => site.hits('/main.dart.js')).toBe(1);
    expect(await Promise.race([settled, new Promise(r => setTimeout(r, 300, 'pending'))])).toBe('pending');
    const started = performance.now();
    await site.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await settled).toBe('broken');
  });

  test('should close promptly while a throttled body is streaming', async () => {
    const site = await startSite({ bandwidthBytesPerSec: 10_000 });
    const download = rawRequest(site.origin + '/canvaskit/canvaskit.wasm').then(() => 'answered', () => 'broken');
    await expect.poll(() => site.bytesSent()).toBeGreaterThan(0);
    const started = performance.now();
    await site.close();
    expect(performance.now() - started).toBeLessThan(1000);
    expect(await download).toBe('broken');
  });

  test('should reject bad settings where they are given', async ({ site }) => {
    expect(() => site.fail('main.dart.js', 'reset')).toThrow(/leading slash/);
    expect(() => site.fail('/main.dart.js', { status: 99 })).toThrow(/200\.\.599/);
    expect(() => site.fail('/main.dart.js', 'reset', 0)).toThrow(/positive integer/);
    expect(() => site.setVersion(1.5)).toThrow(/non-negative integer/);
    expect(() => site.setLatency(-1)).toThrow(/>= 0/);
    expect(() => site.setBandwidth(Number.NaN)).toThrow(/bytes per second/);
    expect(() => site.serve('/x.js', 'x', '')).toThrow(/content type/);
    await expect(startSite({ version: -1 })).rejects.toThrow(/non-negative integer/);
  });
});

test.describe('custom resources and headers', () => {
  test('should add and replace headers with setHeaders()', async ({ site }) => {
    site.setHeaders('/main.dart.js', { 'Cache-Control': 'no-store', 'Set-Cookie': ['a=1', 'b=2'] });
    const res = await rawRequest(site.origin + '/main.dart.js');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect((await rawRequest(site.origin + '/canvaskit/canvaskit.js')).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await rawRequest(site.origin + '/flutter_bootstrap.js')).headers['cache-control']).toBe('no-cache');
  });

  test('should serve added resources with their type and headers', async ({ site }) => {
    site.serve('/assets/big.js', syntheticBundle(0.5), 'text/javascript', { 'Cache-Control': 'max-age=31536000, immutable' });
    const res = await rawRequest(site.origin + '/assets/big.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript');
    expect(res.headers['cache-control']).toBe('max-age=31536000, immutable');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.body.equals(syntheticBundle(0.5))).toBe(true);
    expect(site.sha256('/assets/big.js')).toBe(sha256(res.body));
  });

  test('should replace a built resource, including its content type', async ({ site }) => {
    site.serve('/canvaskit/canvaskit.wasm', 'not wasm', 'text/plain');
    const res = await rawRequest(site.origin + '/canvaskit/canvaskit.wasm');
    expect(res.headers['content-type']).toBe('text/plain');
    expect(res.body.toString()).toBe('not wasm');
    expect(site.body('/canvaskit/canvaskit.wasm').toString()).toBe('not wasm');
  });
});

test.describe('https', () => {
  test.use({ siteOptions: { https: true } });

  test('should serve over TLS with the committed certificate', async ({ site }) => {
    expect(site.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(site.pageUrl).toBe(site.origin + '/');
    const res = await rawRequest(site.origin + '/main.dart.js?v=1');
    expect(res.status).toBe(200);
    expect(sha256(res.body)).toBe(site.sha256('/main.dart.js'));
  });

  test('should be valid for localhost too', async ({ site }) => {
    const localhost = site.origin.replace('127.0.0.1', 'localhost');
    expect((await rawRequest(localhost + '/flutter_bootstrap.js')).status).toBe(200);
  });
});

test.describe('syntheticBundle', () => {
  test('should be exactly the requested size', () => {
    expect(syntheticBundle(1).length).toBe(MB);
    expect(syntheticBundle(5).length).toBe(5 * MB);
    expect(syntheticBundle(0.25).length).toBe(MB / 4);
  });

  test('should be deterministic per seed', () => {
    expect(syntheticBundle(1, 3).equals(syntheticBundle(1, 3))).toBe(true);
    expect(syntheticBundle(1, 3).equals(syntheticBundle(1, 4))).toBe(false);
  });

  test('should be JavaScript that counts its runs', () => {
    const window: { __synthetic?: number } = {};
    const source = syntheticBundle(1).toString('latin1');
    runInNewContext(source, { window });
    runInNewContext(source, { window });
    expect(window.__synthetic).toBe(2);
  });

  test('should reject a size that cannot hold the bundle', () => {
    expect(() => syntheticBundle(0)).toThrow(/> 0/);
    expect(() => syntheticBundle(0.00001)).toThrow(/smaller/);
  });
});
