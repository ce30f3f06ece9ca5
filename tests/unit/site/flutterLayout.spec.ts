import { rawRequest } from '../../site/client.js';
import { startSite } from '../../site/server.js';
import { expect, test } from './siteFixture.js';

const REVISION = /^[0-9a-f]{40}$/;

test.describe('flutter layout', () => {
  test('should serve index.html that loads flutter_bootstrap.js and names the build', async ({ site }) => {
    expect(site.layout).toBe('flutter');
    const res = await rawRequest(site.pageUrl);
    const html = res.body.toString();
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html).toContain('<base href="/">');
    expect(html).toContain('<script src="flutter_bootstrap.js" async></script>');
    expect(html).toContain(`"version":1,"main":{"url":"/main.dart.js","sha256":"${site.sha256('/main.dart.js')}"}`);
    expect(html).not.toContain('?v=');
    expect((await rawRequest(site.origin + '/index.html')).body.equals(res.body)).toBe(true);
  });

  test('should generate flutter_bootstrap.js like Flutter: loader, build config, load call', async ({ site }) => {
    const bootstrap = (await rawRequest(site.origin + '/flutter_bootstrap.js')).body.toString();
    expect(site.cdn.engineRevision).toMatch(REVISION);
    expect(bootstrap).toContain('flutter.loader = { load:');
    expect(bootstrap).toContain(`window._flutter.buildConfig = {"engineRevision":"${site.cdn.engineRevision}","builds":[{"compileTarget":"dart2js","renderer":"canvaskit","mainJsPath":"main.dart.js"}]};`);
    expect(bootstrap).toContain(`"canvasKitBaseUrl":"${site.cdn.canvaskitBaseUrl}"`);
    expect(site.cdn.canvaskitBaseUrl).toBe(`${site.cdn.origin}/flutter-canvaskit/${site.cdn.engineRevision}/`);
  });

  test('should serve an unversioned main.dart.js whose trailer reports its build', async ({ site }) => {
    const res = await rawRequest(site.origin + '/main.dart.js');
    expect(res.body.subarray(-50).toString()).toMatch(/\n;window\.__mainDartJsBuild = 1; \/\/ build 1\n$/);
    expect(res.body.length).toBeGreaterThan(5_000_000);
  });

  test('should serve CanvasKit from a CDN origin on another port, as gstatic does', async ({ site }) => {
    expect(new URL(site.cdn.origin).hostname).toBe('127.0.0.1');
    expect(new URL(site.cdn.origin).port).not.toBe(new URL(site.origin).port);
    for (const [file, type] of [['canvaskit.js', 'text/javascript'], ['canvaskit.wasm', 'application/wasm']]) {
      const url = site.cdn.canvaskitBaseUrl + file;
      const res = await rawRequest(url, { headers: { origin: site.origin } });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(res.headers.etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(res.headers.date).toBeDefined();
      expect(res.body.equals(site.body('/canvaskit/' + file))).toBe(true);
      const again = await rawRequest(url, { headers: { 'if-none-match': res.headers.etag! } });
      expect(again.status).toBe(304);
      expect(again.headers['access-control-allow-origin']).toBe('*');
      expect(site.cdn.responses(new URL(url).pathname)).toEqual({ 200: 1, 304: 1 });
    }
    // Only this revision's files; the site's own paths are not on the CDN.
    expect((await rawRequest(`${site.cdn.origin}/flutter-canvaskit/${'0'.repeat(40)}/canvaskit.wasm`)).status).toBe(404);
    expect((await rawRequest(site.cdn.origin + '/main.dart.js')).status).toBe(404);
    expect(site.cdn.totalHits()).toBe(6);
    expect(site.totalHits()).toBe(0);
  });

  test('should keep the CDN\'s ETags across deploys of the site', async ({ site }) => {
    const url = site.cdn.canvaskitBaseUrl + 'canvaskit.wasm';
    const before = (await rawRequest(url)).headers.etag;
    site.deploy();
    site.setProfile('nginx');
    expect((await rawRequest(url)).headers.etag).toBe(before);
  });

  test('should serve the local CanvasKit copy and point the loader at it with localCanvasKit', async () => {
    const site = await startSite({ layout: 'flutter', localCanvasKit: true, profile: 'github-pages' });
    try {
      const bootstrap = (await rawRequest(site.origin + '/flutter_bootstrap.js')).body.toString();
      expect(bootstrap).toContain('"canvasKitBaseUrl":"canvaskit/"');
      const wasm = await rawRequest(site.origin + '/canvaskit/canvaskit.wasm');
      expect(wasm.headers['content-type']).toBe('application/wasm');
      expect(wasm.headers['cache-control']).toBe('max-age=600');
    } finally {
      await site.close();
    }
  });

  test('should take an engine revision and a CDN port', async () => {
    const probe = await startSite();
    const port = Number(new URL(probe.cdn.origin).port);
    await probe.close();
    const revision = 'ab'.repeat(20);
    const site = await startSite({ layout: 'flutter', engineRevision: revision, cdnPort: port });
    try {
      expect(site.cdn.origin).toBe(`http://127.0.0.1:${port}`);
      expect(site.cdn.canvaskitBaseUrl).toBe(`http://127.0.0.1:${port}/flutter-canvaskit/${revision}/`);
      expect((await rawRequest(site.cdn.canvaskitBaseUrl + 'canvaskit.js')).status).toBe(200);
    } finally {
      await site.close();
    }
  });

  test('should serve both origins over https', async () => {
    const site = await startSite({ layout: 'flutter', https: true });
    try {
      expect(site.cdn.origin).toMatch(/^https:/);
      expect((await rawRequest(site.cdn.canvaskitBaseUrl + 'canvaskit.js')).status).toBe(200);
      expect((await rawRequest(site.origin + '/flutter_bootstrap.js')).body.toString()).toContain(`"canvasKitBaseUrl":"https://`);
    } finally {
      await site.close();
    }
  });

  test('should give added files the host profile\'s headers', async ({ site }) => {
    site.setProfile('firebase');
    site.serve('/assets/app.js', 'window.app = 1;', 'text/javascript', { 'X-Extra': '1' });
    const res = await rawRequest(site.origin + '/assets/app.js');
    expect(res.headers['cache-control']).toBe('max-age=3600');
    expect(res.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(res.headers['x-extra']).toBe('1');
  });

  test('should reject bad layout options', async () => {
    await expect(startSite({ layout: 'vite' as 'flutter' })).rejects.toThrow(/layout must be 'legacy' or 'flutter'/);
    await expect(startSite({ layout: 'flutter', engineRevision: 'main' })).rejects.toThrow(/40 lower-case hex digits/);
    await expect(startSite({ localCanvasKit: true })).rejects.toThrow(/localCanvasKit applies to the Flutter layout only/);
  });

  test('should send Date on every response, errors and redirects included', async ({ site }) => {
    site.fail('/flutter_bootstrap.js', { status: 500 }, 1);
    site.redirect('/canvaskit/canvaskit.js', 'cdn');
    for (const [path, method, status] of [['/nope', 'GET', 404], ['/', 'POST', 405], ['/flutter_bootstrap.js', 'GET', 500], ['/canvaskit/canvaskit.js', 'GET', 302]] as const) {
      const res = await rawRequest(site.origin + path, { method });
      expect(res.status).toBe(status);
      expect(res.headers.date, path).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
    }
  });
});
