import { constants, gunzipSync } from 'node:zlib';
import { rawRequest, wireRequest } from '../../site/client.js';
import type { BodyCut } from '../../site/server.js';
import { expect, test } from './siteFixture.js';

const MAIN = '/main.dart.js';

/** The payload of a chunked body, and whether its terminating chunk arrived. */
function dechunk(framed: Buffer): { payload: Buffer; terminated: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < framed.length) {
    const lineEnd = framed.indexOf('\r\n', at);
    if (lineEnd === -1)
      break;
    const size = parseInt(framed.subarray(at, lineEnd).toString('latin1'), 16);
    if (size === 0)
      return { payload: Buffer.concat(parts), terminated: true };
    parts.push(framed.subarray(lineEnd + 2, Math.min(lineEnd + 2 + size, framed.length)));
    at = lineEnd + 2 + size + 2;
  }
  return { payload: Buffer.concat(parts), terminated: false };
}

function header(head: string, name: string): string | undefined {
  const line = head.split('\r\n').find(l => l.toLowerCase().startsWith(name + ':'));
  return line?.slice(name.length + 1).trim();
}

test.describe('body cuts', () => {
  test('should send a chunked body without Content-Length and reset the connection halfway', async ({ site }) => {
    site.fail(MAIN, 'chunked-reset', 1);
    const wire = await wireRequest(site.origin + MAIN);
    const full = site.body(MAIN);
    expect(wire.head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(header(wire.head, 'transfer-encoding')).toBe('chunked');
    expect(header(wire.head, 'content-length')).toBeUndefined();
    expect(header(wire.head, 'etag')).toBe(site.responseHeaders(MAIN).etag);
    // The site sends an RST (SO_LINGER 0), which discards what the kernel had
    // not sent yet; see WireResponse.end for why `end` cannot show it.
    const { payload, terminated } = dechunk(wire.body);
    expect(terminated).toBe(false);
    expect(payload.length).toBeLessThanOrEqual(full.length >> 1);
    expect(payload.equals(full.subarray(0, payload.length))).toBe(true);
    expect(site.bytesSent(MAIN)).toBe(full.length >> 1);
    expect(site.responses(MAIN)).toEqual({ 200: 1 });
    // Only once: the next request gets all of it.
    expect((await rawRequest(site.origin + MAIN)).body.equals(full)).toBe(true);
  });

  test('should end a Content-Length body early with a clean close', async ({ site }) => {
    site.fail(MAIN, 'short-close');
    const full = site.body(MAIN);
    const wire = await wireRequest(site.origin + MAIN);
    expect(header(wire.head, 'content-length')).toBe(String(full.length));
    expect(header(wire.head, 'transfer-encoding')).toBeUndefined();
    expect(wire.end).toBe('close');
    expect(wire.body.equals(full.subarray(0, full.length >> 1))).toBe(true);
    await expect(rawRequest(site.origin + MAIN)).rejects.toThrow(/aborted|closed before the body ended/);
    expect(site.hits(MAIN)).toBe(2);
    expect(site.responses(MAIN)).toEqual({ 200: 2 });
  });

  test('should cut a gzip stream short inside a well-framed response', async ({ site }) => {
    site.fail(MAIN, 'gzip-cut', 1);
    const full = site.body(MAIN);
    // Sent gzipped even to a client that did not ask: the host is broken.
    const wire = await wireRequest(site.origin + MAIN);
    expect(header(wire.head, 'content-encoding')).toBe('gzip');
    expect(header(wire.head, 'content-length')).toBe(String(wire.body.length));
    expect(wire.end).toBe('close');
    expect(() => gunzipSync(wire.body)).toThrow(/unexpected end of file/);
    const prefix = gunzipSync(wire.body, { finishFlush: constants.Z_SYNC_FLUSH });
    expect(prefix.length).toBeGreaterThan(0);
    expect(prefix.length).toBeLessThan(full.length);
    expect(prefix.equals(full.subarray(0, prefix.length))).toBe(true);
    expect(site.bytesSent(MAIN)).toBe(wire.body.length);
  });

  // Why a cache must check the end of a gzip stream itself: clients may not.
  test('should be taken as complete by Node\'s fetch, which does not check the gzip trailer', async ({ site }) => {
    site.fail(MAIN, 'gzip-cut', 1);
    const body = Buffer.from(await (await fetch(site.origin + MAIN)).arrayBuffer());
    expect(body.length).toBeLessThan(site.body(MAIN).length);
    expect(body.equals(site.body(MAIN).subarray(0, body.length))).toBe(true);
  });

  test('should cut CDN files too, and send only the head to HEAD', async ({ site }) => {
    const url = site.cdn.canvaskitBaseUrl + 'canvaskit.wasm';
    const wasm = new URL(url).pathname;
    site.cdn.fail(wasm, 'short-close', 2);
    await expect(fetch(url).then(res => res.arrayBuffer())).rejects.toThrow();
    const head = await rawRequest(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(site.cdn.body(wasm).length));
    expect(head.body.length).toBe(0);
    expect(site.cdn.responses(wasm)).toEqual({ 200: 2 });
    expect(site.cdn.bytesSent(wasm)).toBe(site.cdn.body(wasm).length >> 1);
    expect(site.responses(wasm)).toEqual({});
    expect((await rawRequest(url)).body.equals(site.cdn.body(wasm))).toBe(true);
  });

  test('should reject unknown faults', async ({ site }) => {
    expect(() => site.fail(MAIN, 'truncate' as BodyCut)).toThrow(/'chunked-reset', 'short-close' or 'gzip-cut'/);
  });
});
