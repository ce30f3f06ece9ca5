import { test, expect } from '@playwright/test';
import net from 'node:net';
import { Listener } from '../../site/listener.js';
import { rawExchange, startTestProxy, viaProxy } from './harness.js';

test('should answer 400 to malformed requests and CONNECTs, and keep serving', async () => {
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  origin.onRequest((req, res) => res.end('ok'));
  const { proxy, close } = await startTestProxy();
  try {
    const garbage = await rawExchange(proxy.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    const badConnect = await rawExchange(proxy.url, 'CONNECT no-port-here HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(badConnect).toMatch(/^HTTP\/1\.1 400 /);
    expect(badConnect).toContain('is not host:port');
    const originForm = await rawExchange(proxy.url, 'GET /index.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    expect(originForm).toMatch(/^HTTP\/1\.1 400 /);
    expect(originForm).toContain('set it as the client\'s proxy');
    expect((await viaProxy(proxy.url, `${origin.origin}/`)).body.toString()).toBe('ok');
    expect(proxy.stats().rejected).toBe(3);
  } finally {
    await close();
    await origin.close();
  }
});

test('should refuse to proxy to itself', async () => {
  const { proxy, close } = await startTestProxy();
  try {
    for (const host of ['127.0.0.1', 'localhost']) {
      const response = await viaProxy(proxy.url, `http://${host}:${proxy.port}/main.dart.js`);
      expect(response.status, host).toBe(508);
      expect(response.body.toString(), host).toContain('is the proxy itself');
    }
    const connect = await rawExchange(proxy.url, `CONNECT 127.0.0.1:${proxy.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(connect).toMatch(/^HTTP\/1\.1 508 /);
  } finally {
    await close();
  }
});

test('should refuse too-long URLs and headers with 414 and 431', async () => {
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  origin.onRequest((req, res) => res.end('ok'));
  const { proxy, close } = await startTestProxy({ limits: { maxUrlBytes: 4096, maxHeaderBytes: 16 * 1024 } });
  try {
    const longUrl = await viaProxy(proxy.url, `${origin.origin}/?q=${'a'.repeat(5000)}`);
    expect(longUrl.status).toBe(414);
    const bigHeader = await rawExchange(proxy.url, `GET ${origin.origin}/ HTTP/1.1\r\nHost: x\r\nCookie: ${'c'.repeat(20_000)}\r\n\r\n`);
    expect(bigHeader).toMatch(/^HTTP\/1\.1 431 /);
    expect((await viaProxy(proxy.url, `${origin.origin}/`)).status).toBe(200);
  } finally {
    await close();
    await origin.close();
  }
});

test('should close a slowloris client when its headers do not arrive in time, serving others meanwhile', async () => {
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  origin.onRequest((req, res) => res.end('ok'));
  const headersTimeoutMs = 1_500;
  const { proxy, close } = await startTestProxy({ limits: { headersTimeoutMs } });
  const slow = net.connect(proxy.port, '127.0.0.1');
  try {
    const answered = new Promise<{ text: string; afterMs: number }>(resolve => {
      const started = Date.now();
      let text = '';
      slow.on('data', chunk => text += chunk.toString());
      slow.on('close', () => resolve({ text, afterMs: Date.now() - started }));
      slow.on('error', () => {});
    });
    slow.write(`GET ${origin.origin}/ HTTP/1.1\r\nHost: x\r\n`);
    // One header line every 200 ms keeps the socket busy but never finishes the head.
    const drip = setInterval(() => slow.write('X-Drip: 1\r\n'), 200);
    for (let i = 0; i < 5; i++)
      expect((await viaProxy(proxy.url, `${origin.origin}/`)).body.toString()).toBe('ok');
    const { text, afterMs } = await answered;
    clearInterval(drip);
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(afterMs).toBeGreaterThanOrEqual(headersTimeoutMs - 100);
  } finally {
    slow.destroy();
    await close();
    await origin.close();
  }
});

test('should close idle connections', async () => {
  const { proxy, close } = await startTestProxy({ limits: { idleTimeoutMs: 500 } });
  try {
    const closed = await new Promise<boolean>(resolve => {
      const socket = net.connect(proxy.port, '127.0.0.1');
      socket.on('close', () => resolve(true));
      socket.on('error', () => {});
      setTimeout(() => resolve(false), 5_000);
    });
    expect(closed).toBe(true);
  } finally {
    await close();
  }
});
