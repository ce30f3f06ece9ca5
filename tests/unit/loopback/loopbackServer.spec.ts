import { test, expect } from '@playwright/test';
import http from 'node:http';
import https from 'node:https';
import { LoopbackServer, PUBLISHED_TTL_MS, type LoopbackClock } from '../../../src/loopback/loopbackServer.js';
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

/** A clock the test moves by hand; its timers fire as time passes them, in order. */
function manualClock(start = 1_000_000): LoopbackClock & { advance(ms: number): void; timers: number } {
  let now = start;
  const timers = new Set<{ ms: number; next: number; tick: () => void }>();
  return {
    now: () => now,
    every(ms, tick) {
      const timer = { ms, next: now + ms, tick };
      timers.add(timer);
      return () => timers.delete(timer);
    },
    advance(ms) {
      const end = now + ms;
      for (let due = nextDue(); due !== undefined && due.next <= end; due = nextDue()) {
        now = due.next;
        due.next += due.ms;
        due.tick();
      }
      now = end;
    },
    get timers() {
      return timers.size;
    },
  };
  function nextDue() {
    return [...timers].sort((a, b) => a.next - b.next)[0];
  }
}

test('should drop a URL nobody fetched once 60 s have passed, by the clock it was given', async () => {
  const clock = manualClock();
  const server = new LoopbackServer(noCertificate, clock);
  try {
    const early = await server.publish(published, 'http', 'early.js');
    clock.advance(PUBLISHED_TTL_MS - 1);
    expect(server.pendingCount).toBe(1);
    const late = await server.publish(published, 'http', 'late.js');
    const inTime = await server.publish(published, 'http', 'in-time.js');
    expect(clock.timers).toBe(1);
    // 60 s after the first publish the sweep drops the early URL, unfetched.
    clock.advance(1);
    expect(server.pendingCount).toBe(2);
    expect((await fetch(early)).status).toBe(404);
    // A URL still works 1 ms before its 60 s are up...
    clock.advance(PUBLISHED_TTL_MS - 2);
    expect((await fetch(inTime)).status).toBe(200);
    // ...and not once they are, even before the next sweep comes round.
    clock.advance(1);
    expect(server.pendingCount).toBe(1);
    expect((await fetch(late)).status).toBe(404);
    expect(server.pendingCount).toBe(0);
    expect(server.counts).toEqual({ received: 3, served: 1, refused: 2 });
  } finally {
    await server.close();
  }
  expect(clock.timers).toBe(0);
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
