import { rawRequest } from '../../site/client.js';
import { expect, test } from './siteFixture.js';

test.describe('response counters', () => {
  test('should count statuses and body bytes per path, alongside hits', async ({ site }) => {
    const main = site.origin + '/main.dart.js';
    const { headers } = await rawRequest(main);
    for (let i = 0; i < 3; i++)
      await rawRequest(main, { headers: { 'if-none-match': headers.etag! } });
    site.fail('/main.dart.js', { status: 503 }, 1);
    await rawRequest(main);
    site.fail('/main.dart.js', 'reset', 1);
    await expect(rawRequest(main)).rejects.toThrow();
    await rawRequest(main, { method: 'HEAD' });
    expect(site.hits('/main.dart.js')).toBe(7);
    // The reset wrote no head; the HEAD is a 200 without body bytes.
    expect(site.responses('/main.dart.js')).toEqual({ 200: 2, 304: 3, 503: 1 });
    const injected = Buffer.byteLength('injected failure: 503\n');
    expect(site.bytesSent('/main.dart.js')).toBe(site.body('/main.dart.js').length + injected);
    expect(site.bytesSent()).toBe(site.bytesSent('/main.dart.js'));
    expect(site.responses('/never')).toEqual({});
    expect(site.bytesSent('/never')).toBe(0);
  });

  test('should hand out a copy, not the live counts', async ({ site }) => {
    await rawRequest(site.pageUrl);
    const counts = site.responses('/');
    await rawRequest(site.pageUrl);
    expect(counts).toEqual({ 200: 1 });
    expect(site.responses('/')).toEqual({ 200: 2 });
  });

  test('should reset every counter of both origins with resetCounters()', async ({ site }) => {
    const wasm = site.cdn.canvaskitBaseUrl + 'canvaskit.wasm';
    await rawRequest(site.pageUrl);
    await rawRequest(wasm);
    expect(site.cdn.responses(new URL(wasm).pathname)).toEqual({ 200: 1 });
    site.resetCounters();
    expect([site.totalHits(), site.bytesSent(), site.requests.length, site.cdn.totalHits(), site.cdn.bytesSent(), site.cdn.requests.length]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(site.responses('/')).toEqual({});
    expect(site.cdn.responses(new URL(wasm).pathname)).toEqual({});
    await rawRequest(wasm);
    site.cdn.resetCounters();
    expect(site.cdn.totalHits()).toBe(0);
  });

  test('should clear the faults of both origins with clearFailures()', async ({ site }) => {
    const wasm = site.cdn.canvaskitBaseUrl + 'canvaskit.wasm';
    site.fail('/', { status: 500 });
    site.cdn.fail(new URL(wasm).pathname, { status: 502 });
    expect((await rawRequest(wasm)).status).toBe(502);
    site.clearFailures();
    expect((await rawRequest(site.pageUrl)).status).toBe(200);
    expect((await rawRequest(wasm)).status).toBe(200);
  });
});
