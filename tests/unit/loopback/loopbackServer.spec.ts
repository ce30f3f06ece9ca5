import { test, expect } from '@playwright/test';
import http from 'node:http';
import https from 'node:https';
import { LoopbackServer } from '../../../src/loopback/loopbackServer.js';
import { loadOrCreateCertificate } from '../../../src/loopback/certificate.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { isLoopbackHost, useLoopback } from '../../../src/loopback/servePlan.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

const published = { status: 200, headers: { 'content-type': 'text/javascript', 'content-length': '5' }, body: Buffer.from('hello') };
const noCertificate = () => Promise.reject(new Error('no https in this test'));

test('should serve a published body once, to whoever holds its URL', async () => {
  const server = new LoopbackServer(noCertificate);
  try {
    const url = await server.publish(published, 'http', 'main.dart.js');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/[\w-]{32}\/\w+\/main\.dart\.js$/);
    const first = await fetch(url, { headers: { cookie: 'secret=1' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/javascript');
    expect(await first.text()).toBe('hello');
    expect(server.pendingCount).toBe(0);
    expect((await fetch(url)).status).toBe(404);
  } finally {
    await server.close();
  }
});

test('should listen only from its first publish, and not after close()', async () => {
  // The server is unref()ed (it never keeps a process alive), so it is counted where it is made.
  const createServer = http.createServer;
  let created = 0;
  http.createServer = ((...args: Parameters<typeof createServer>) => (created++, createServer(...args))) as typeof createServer;
  try {
    const server = new LoopbackServer(noCertificate);
    expect(created).toBe(0);
    const url = await server.publish(published, 'http', 'main.dart.js');
    await server.publish(published, 'http', 'canvaskit.wasm');
    expect(created).toBe(1);
    await server.close();
    await expect(fetch(url)).rejects.toThrow();
    await expect(server.publish(published, 'http', 'main.dart.js')).rejects.toThrow(/closed/);
  } finally {
    http.createServer = createServer;
  }
});

test('should answer 404 without the token, with a wrong token or an unknown id', async () => {
  const server = new LoopbackServer(noCertificate);
  try {
    const url = new URL(await server.publish(published, 'http', 'a.js'));
    const [, token, id] = url.pathname.split('/');
    for (const path of ['/', `/${id}`, `/wrong-token/${id}/a.js`, `/${token}/999/a.js`, `/${token!.slice(1)}/${id}/a.js`])
      expect((await fetch(new URL(path, url.origin))).status, path).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(404);
    expect((await fetch(url)).status).toBe(200);
  } finally {
    await server.close();
  }
});

test('should forget a URL that was unpublished', async () => {
  const server = new LoopbackServer(noCertificate);
  try {
    const url = await server.publish(published, 'http', 'a.js');
    server.unpublish(url);
    expect((await fetch(url)).status).toBe(404);
  } finally {
    await server.close();
  }
});

test('should serve https with a certificate created once per dir and shared', async () => {
  const dir = await makeTempDir();
  const locks = new LockManager();
  try {
    const [a, b] = await Promise.all([loadOrCreateCertificate(dir, nodeStoreFs, locks), loadOrCreateCertificate(dir, nodeStoreFs, new LockManager())]);
    expect(a.spkiSha256).toBe(b.spkiSha256);
    const server = new LoopbackServer(async () => a);
    try {
      const url = await server.publish(published, 'https', 'a.js');
      expect(url.startsWith('https://127.0.0.1:')).toBe(true);
      const body = await new Promise<string>((resolve, reject) => {
        https.get(url, { ca: a.cert }, response => {
          let text = '';
          response.on('data', chunk => text += chunk);
          response.on('end', () => resolve(text));
        }).on('error', reject);
      });
      expect(body).toBe('hello');
    } finally {
      await server.close();
    }
  } finally {
    await removeDir(dir);
  }
});

test('should choose loopback for http, for https only when the certificate is accepted', () => {
  const accepting = { ignoresHttpsErrors: true, loopbackBroken: false, browserIsRemote: false };
  const checking = { ignoresHttpsErrors: false, loopbackBroken: false, browserIsRemote: false };
  expect(useLoopback('auto', 'http:', checking, false)).toBe(true);
  expect(useLoopback('auto', 'https:', checking, false)).toBe(false);
  expect(useLoopback('auto', 'https:', accepting, false)).toBe(true);
  expect(useLoopback('loopback', 'https:', checking, false)).toBe(true);
  expect(useLoopback('fulfill', 'http:', accepting, false)).toBe(false);
  expect(useLoopback('auto', 'http:', { ...accepting, loopbackBroken: true }, false)).toBe(false);
  expect(useLoopback('auto', 'http:', accepting, true)).toBe(false);
  expect(useLoopback('auto', 'http:', { ...accepting, browserIsRemote: true }, false)).toBe(false);
  expect(useLoopback('loopback', 'http:', { ...accepting, browserIsRemote: true }, false)).toBe(false);
});

test('should know which hosts are in the loopback address space', () => {
  for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]'])
    expect(isLoopbackHost(host), host).toBe(true);
  for (const host of ['example.com', '10.0.0.1', '192.168.1.2', 'localhost.example.com', '128.0.0.1'])
    expect(isLoopbackHost(host), host).toBe(false);
});
