import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test, expect } from '@playwright/test';
import { unprovenEnd } from '../../../src/http/bodyEnd.js';
import { BundleCache } from '../../../src/index.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

test('should prove a body by a matching Content-Length or by chunked framing', () => {
  expect(unprovenEnd({ 'content-length': '10' }, 10)).toBeUndefined();
  expect(unprovenEnd({ 'transfer-encoding': 'chunked' }, 10)).toBeUndefined();
  expect(unprovenEnd({ 'content-encoding': 'identity', 'content-length': '3' }, 3)).toBeUndefined();
});

test('should not prove a short body, a compressed one, or one that ended with its connection', () => {
  expect(unprovenEnd({ 'content-length': '10' }, 4)).toBe('4 bytes received, Content-Length says 10');
  expect(unprovenEnd({ 'content-length': 'ten' }, 4)).toContain('Content-Length says ten');
  expect(unprovenEnd({ 'content-encoding': 'gzip', 'content-length': '4' }, 9)).toContain('compressed (content-encoding: gzip)');
  expect(unprovenEnd({ 'content-encoding': 'br', 'transfer-encoding': 'chunked' }, 9)).toContain('compressed');
  expect(unprovenEnd({}, 9)).toContain('no Content-Length and not chunked');
});

/**
 * An origin that answers as HTTP/1.0 servers do (no Content-Length, not
 * chunked, the body ends with the connection) and resets it halfway: the
 * client cannot tell a cut from an end.
 */
async function closeDelimitedOrigin(body: Buffer): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server = net.createServer(socket => {
    socket.once('data', () => {
      hits++;
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/javascript\r\nConnection: close\r\n\r\n');
      socket.write(body.subarray(0, body.length / 2), () => socket.resetAndDestroy());
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/main.dart.js?v=1`, hits: () => hits, close: () => new Promise(resolve => server.close(() => resolve())) };
}

test('should not store a body whose end only the closing connection marks', async () => {
  const dir = await makeTempDir();
  const origin = await closeDelimitedOrigin(Buffer.alloc(256 * 1024, 'x'));
  const cache = await BundleCache.open({ dir });
  try {
    const first = await cache.warm(origin.url);
    expect(first.outcome === 'not-stored' || first.outcome === 'failed').toBe(true);
    if (first.outcome === 'not-stored')
      expect(first.reason).toContain('end of body not proven');
    const second = await cache.warm(origin.url);
    expect(second.outcome).not.toBe('fresh');
    expect(origin.hits()).toBe(2);
  } finally {
    await cache.close();
    await origin.close();
    await removeDir(dir);
  }
});
