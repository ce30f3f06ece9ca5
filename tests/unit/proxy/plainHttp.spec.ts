import { test, expect } from '@playwright/test';
import http from 'node:http';
import net from 'node:net';
import { Listener } from '../../site/listener.js';
import { freePort } from '../../helpers/serverProcess.js';
import { startTestProxy, viaProxy } from './harness.js';

test('should answer cacheable requests through the backend and ask the origin once', async () => {
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  let hits = 0;
  origin.onRequest((req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'text/javascript' }).end('main();');
  });
  const { proxy, backend, close } = await startTestProxy();
  try {
    for (let i = 0; i < 3; i++) {
      const response = await viaProxy(proxy.url, `${origin.origin}/main.dart.js`, { headers: { cookie: 'a=1', 'proxy-authorization': 'Basic c2VjcmV0' } });
      expect(response.status).toBe(200);
      expect(response.body.toString()).toBe('main();');
    }
    expect(hits).toBe(1);
    // The backend saw the client's headers without the proxy's own (hop-by-hop) ones.
    expect(backend.fetched[0]!.headers.cookie).toBe('a=1');
    expect(backend.fetched[0]!.headers['proxy-authorization']).toBeUndefined();
    expect(proxy.stats()).toMatchObject({ requests: 3, fromCache: 3, passedThrough: 0 });
  } finally {
    await close();
    await origin.close();
  }
});

test('should stream other requests both ways untouched but for hop-by-hop headers', async () => {
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  let seen: http.IncomingHttpHeaders = {};
  origin.onRequest(async (req, res) => {
    seen = req.headers;
    const chunks: Buffer[] = [];
    for await (const chunk of req)
      chunks.push(chunk as Buffer);
    res.writeHead(201, [
      'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'X-Echo-Method', req.method!, 'Connection', 'close, X-Hop',
      'X-Hop', 'only for the proxy', 'Keep-Alive', 'timeout=99', 'Content-Type', 'application/octet-stream',
    ]);
    res.end(Buffer.concat(chunks));
  });
  const { proxy, backend, close } = await startTestProxy();
  try {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const response = await viaProxy(proxy.url, `${origin.origin}/api/upload?x=1`, {
      method: 'POST', body,
      headers: { 'content-type': 'application/octet-stream', 'connection': 'x-secret-hop', 'x-secret-hop': '1', 'proxy-authorization': 'Basic c2VjcmV0', 'authorization': 'Bearer t' },
    });
    expect(response.status).toBe(201);
    expect(response.body.equals(body)).toBe(true);
    expect(response.rawHeaders.filter((_, i, raw) => i % 2 === 0 && raw[i]!.toLowerCase() === 'set-cookie')).toHaveLength(2);
    expect(response.headers['x-echo-method']).toBe('POST');
    expect(response.headers['x-hop']).toBeUndefined();
    // The proxy's own connection to the client may have a Keep-Alive; the origin's is not passed on.
    expect(response.headers['keep-alive']).not.toBe('timeout=99');
    expect(seen['x-secret-hop']).toBeUndefined();
    expect(seen['proxy-authorization']).toBeUndefined();
    expect(seen.authorization).toBe('Bearer t');
    expect(backend.fetched).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ passedThrough: 1, bytesStreamed: body.length });
  } finally {
    await close();
    await origin.close();
  }
});

test('should hold no body for a client that stops reading', async () => {
  // The origin writes as fast as the proxy takes it; a proxy that buffered would take it all.
  const total = 256 * 1024 * 1024;
  let written = 0;
  let stalled: () => void;
  const originStalled = new Promise<void>(resolve => stalled = resolve);
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  origin.onRequest((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': total });
    const chunk = Buffer.alloc(64 * 1024);
    const pump = () => {
      while (written < total) {
        written += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          // Still stalled a moment later: everything in between is in buffers.
          const at = written;
          setTimeout(() => written === at && stalled(), 300);
          return;
        }
      }
      res.end();
    };
    pump();
  });
  const { proxy, close } = await startTestProxy();
  const client = net.connect(proxy.port, '127.0.0.1');
  try {
    client.write(`GET ${origin.origin}/video.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    client.pause();
    await originStalled;
    // Socket buffers on three connections and a few stream high-water marks, not 256 MB.
    expect(written).toBeLessThan(32 * 1024 * 1024);
  } finally {
    client.destroy();
    await close();
    await origin.close();
  }
});

test('should answer 502 naming the host, the cause and the fix when the origin is down, and keep serving', async () => {
  const port = await freePort();
  const { proxy, close } = await startTestProxy();
  try {
    for (const path of ['/page', '/main.dart.js']) {
      const response = await viaProxy(proxy.url, `http://127.0.0.1:${port}${path}`);
      expect(response.status, path).toBe(502);
      expect(response.body.toString(), path).toContain(`127.0.0.1:${port}`);
      expect(response.body.toString(), path).toContain('ECONNREFUSED');
      expect(response.body.toString(), path).toContain('Fix: nothing listens at');
    }
    const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
    origin.onRequest((req, res) => res.end('up'));
    expect((await viaProxy(proxy.url, `${origin.origin}/`)).body.toString()).toBe('up');
    await origin.close();
  } finally {
    await close();
  }
});

test('should pass a request through itself when the backend cannot answer, and fail it when offline', async () => {
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  origin.onRequest((req, res) => res.end('from origin'));
  const { proxy, backend, close } = await startTestProxy();
  try {
    backend.answer = { kind: 'pass', reason: 'fetch failed' };
    expect((await viaProxy(proxy.url, `${origin.origin}/main.dart.js`)).body.toString()).toBe('from origin');
    backend.answer = { kind: 'offline', message: 'warm the cache first' };
    const offline = await viaProxy(proxy.url, `${origin.origin}/main.dart.js`);
    expect(offline.status).toBe(504);
    expect(offline.body.toString()).toContain('warm the cache first');
  } finally {
    await close();
    await origin.close();
  }
});

test('should cut the client\'s answer when the origin stops mid-body, never end it as if complete', async () => {
  const origin = await Listener.listen({ https: false, host: '127.0.0.1', port: 0 });
  origin.onRequest((req, res) => {
    if (req.url === '/ok')
      return void res.end('ok');
    // Chunked, so a proxy that ended its own answer when the origin's stopped would send a well-formed, complete, short body.
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('partial', () => setTimeout(() => res.socket!.destroy(), 50));
  });
  const { proxy, close } = await startTestProxy();
  try {
    const proxyUrl = new URL(proxy.url);
    const outcome = await new Promise<{ complete: boolean; body: string }>((resolve, reject) => {
      const request = http.request({ host: proxyUrl.hostname, port: proxyUrl.port, path: `${origin.origin}/stream`, agent: false }, response => {
        let body = '';
        response.on('data', chunk => body += chunk);
        response.on('error', () => {});
        response.once('close', () => resolve({ complete: response.complete, body }));
      });
      request.once('error', reject);
      request.end();
    });
    expect(outcome).toEqual({ complete: false, body: 'partial' });
    expect((await viaProxy(proxy.url, `${origin.origin}/ok`)).body.toString()).toBe('ok');
  } finally {
    await close();
    await origin.close();
  }
});
