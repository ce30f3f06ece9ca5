import { rawRequest } from '../../site/client.js';
import { startSite, type RedirectStatus, type RedirectTarget } from '../../site/server.js';
import { expect, test } from './siteFixture.js';

const MAIN = '/main.dart.js';

test.describe('redirects', () => {
  test('should redirect main.dart.js to a same-origin hashed URL that serves the real bytes', async ({ site }) => {
    site.redirect(MAIN, 'versioned');
    const target = site.versionedPath(MAIN);
    expect(target).toMatch(/^\/build\/main\.[0-9a-f]{16}\.js$/);
    expect(target).toContain(site.sha256(MAIN).slice(0, 16));
    const hop = await rawRequest(site.origin + MAIN + '?v=1');
    expect(hop.status).toBe(302);
    expect(hop.headers.location).toBe(target);
    expect(hop.headers['access-control-allow-origin']).toBe('*');
    expect(hop.headers.date).toBeDefined();
    const res = await rawRequest(site.origin + target);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers.etag).toBe(site.responseHeaders(MAIN).etag);
    expect(res.body.equals(site.body(MAIN))).toBe(true);
    expect(site.body(target).equals(site.body(MAIN))).toBe(true);
    // Counted at both ends.
    expect(site.responses(MAIN)).toEqual({ 302: 1 });
    expect(site.hits(target)).toBe(1);
    expect(site.responses(target)).toEqual({ 200: 1 });
    expect(site.bytesSent(target)).toBe(site.body(MAIN).length);
  });

  test('should follow a deploy: the redirect points at the new hash, the old one is gone', async ({ site }) => {
    site.redirect(MAIN, 'versioned');
    const first = site.versionedPath(MAIN);
    site.deploy();
    const second = site.versionedPath(MAIN);
    expect(second).not.toBe(first);
    expect(site.versionedPath(MAIN, 1)).toBe(first);
    expect((await rawRequest(site.origin + MAIN)).headers.location).toBe(second);
    expect((await rawRequest(site.origin + second)).body.subarray(-40).toString()).toContain('// build 2');
    expect((await rawRequest(site.origin + first)).status).toBe(404);
  });

  test('should answer conditional requests on the hashed URL', async ({ site }) => {
    site.redirect(MAIN, 'versioned');
    const target = site.origin + site.versionedPath(MAIN);
    const { headers } = await rawRequest(target);
    expect((await rawRequest(target, { headers: { 'if-none-match': headers.etag! } })).status).toBe(304);
  });

  test('should redirect canvaskit to the CDN origin, which serves it with CORS', async ({ site }) => {
    site.redirect('/canvaskit/canvaskit.wasm', 'cdn');
    const hop = await rawRequest(site.origin + '/canvaskit/canvaskit.wasm', { headers: { origin: site.origin } });
    expect(hop.status).toBe(302);
    const location = site.cdn.canvaskitBaseUrl + 'canvaskit.wasm';
    expect(hop.headers.location).toBe(location);
    expect(new URL(location).origin).toBe(site.cdn.origin);
    expect(site.cdn.origin).not.toBe(site.origin);
    const res = await rawRequest(location, { headers: { origin: site.origin } });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['content-type']).toBe('application/wasm');
    expect(res.body.equals(site.body('/canvaskit/canvaskit.wasm'))).toBe(true);
    const cdnPath = new URL(location).pathname;
    expect(site.responses('/canvaskit/canvaskit.wasm')).toEqual({ 302: 1 });
    expect(site.cdn.hits(cdnPath)).toBe(1);
    expect(site.cdn.requests[0]!.headers.origin).toBe(site.origin);
  });

  test('should use the given status, and stop after clearRedirects()', async ({ site }) => {
    for (const status of [301, 303, 307, 308] as RedirectStatus[]) {
      site.redirect(MAIN, 'versioned', status);
      expect((await rawRequest(site.origin + MAIN)).status).toBe(status);
    }
    site.clearRedirects();
    expect((await rawRequest(site.origin + MAIN)).status).toBe(200);
    expect((await rawRequest(site.origin + site.versionedPath(MAIN))).status).toBe(404);
  });

  test('should redirect in the legacy layout too', async () => {
    const site = await startSite();
    try {
      site.redirect(MAIN, 'versioned');
      site.redirect('/canvaskit/canvaskit.js', 'cdn');
      const hop = await rawRequest(site.origin + MAIN + '?v=1');
      expect(hop.headers.location).toBe(site.versionedPath(MAIN));
      const res = await rawRequest(site.origin + hop.headers.location!);
      expect(res.body.subarray(-12).toString()).toBe('\n// build 1\n');
      expect((await rawRequest(site.origin + '/canvaskit/canvaskit.js')).headers.location).toBe(site.cdn.canvaskitBaseUrl + 'canvaskit.js');
    } finally {
      await site.close();
    }
  });

  test('should answer 404 for a versioned redirect of a missing file, and let faults win', async ({ site }) => {
    site.redirect('/missing.js', 'versioned');
    expect((await rawRequest(site.origin + '/missing.js')).status).toBe(404);
    site.redirect(MAIN, 'versioned');
    site.fail(MAIN, { status: 503 }, 1);
    expect((await rawRequest(site.origin + MAIN)).status).toBe(503);
    expect((await rawRequest(site.origin + MAIN)).status).toBe(302);
  });

  test('should reject bad redirects where they are set', async ({ site }) => {
    expect(() => site.redirect(MAIN, 'elsewhere' as RedirectTarget)).toThrow(/'versioned' or 'cdn'/);
    expect(() => site.redirect(MAIN, 'cdn', 200 as RedirectStatus)).toThrow(/301, 302, 303, 307, 308/);
    expect(() => site.redirect('/', 'versioned')).toThrow(/only a file with an extension/);
    expect(() => site.redirect('/build/x.js', 'cdn')).toThrow(/cannot redirect itself/);
    expect(() => site.redirect('main.dart.js', 'cdn')).toThrow(/leading slash/);
  });
});
