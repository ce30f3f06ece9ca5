import http from 'node:http';
import type net from 'node:net';
import { REDIS_READ_CONNECTIONS } from '../../../src/remote/redisStore.js';
import { freePort } from '../../helpers/serverProcess.js';
import { bytes, codes, entry, expect, FakeClock, MB, silentServer, test } from './fixtures.js';

/** An HTTP server that answers every request with `status`. */
async function failingServer(status: number): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(status).end());
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/cache/`, close: () => new Promise(resolve => server.close(() => resolve())) };
}

test('should count errors, open the breaker, probe after the cooldown and come back when Redis is killed and restarted', async ({ redis, openTier }) => {
  const clock = new FakeClock();
  const { tier, problems } = openTier({ url: redis.url, timeout: '2s' }, { now: clock.now, breaker: { failures: 3, cooldownMs: 10_000 } });
  const before = entry('https://app.test/main.dart.js', bytes(100_000), { now: clock.ms });
  expect((await tier.publish(before.meta, before.body)).kind).toBe('uploaded');
  expect(await tier.lookup(before.meta.key)).toBeDefined();

  await redis.kill();
  for (let i = 0; i < 3; i++)
    expect(await tier.lookup(before.meta.key)).toBeUndefined();
  expect(codes(problems)).toEqual(Array(3).fill('ERR_REMOTE_UNAVAILABLE'));
  expect(tier.stats()).toMatchObject({ remoteErrors: 3, breakerOpened: 1, remoteMisses: 3 });

  // Open: nothing is asked, nothing reported, until the cooldown has passed.
  expect(await tier.lookup(before.meta.key)).toBeUndefined();
  const during = entry('https://app.test/during.js', bytes(1000), { now: clock.ms });
  expect(await tier.publish(during.meta, during.body)).toMatchObject({ kind: 'dropped', reason: expect.stringContaining('circuit open') });
  expect(await tier.flight!.lock(during.meta.key)).toEqual({ kind: 'none', reason: 'circuit open' });
  expect(problems.length).toBe(3);
  expect(tier.stats()).toMatchObject({ remoteSkipped: 3, uploadsDropped: 1 });

  // A probe while it is still down opens it again for another cooldown.
  clock.advance(10_001);
  expect(await tier.lookup(before.meta.key)).toBeUndefined();
  expect(problems.length).toBe(4);
  expect(await tier.lookup(before.meta.key)).toBeUndefined();
  expect(problems.length).toBe(4);

  await redis.restart();
  clock.advance(10_001);
  // Restarted empty (no persistence): the probe is a plain miss, and the circuit closes.
  expect(await tier.lookup(before.meta.key)).toBeUndefined();
  expect(problems.length).toBe(4);
  const after = entry('https://app.test/after.js', bytes(100_000), { now: clock.ms });
  expect(await tier.publish(after.meta, after.body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect((await tier.lookup(after.meta.key))?.body.equals(after.body)).toBe(true);
  // Closed again: nothing after the successful probe was skipped, and it opened twice in all.
  expect(tier.stats()).toMatchObject({ remoteSkipped: 4, breakerOpened: 2 });
});

test('should settle an upload in flight when Redis is killed under it, and take uploads again after the restart', async ({ redis, openTier }) => {
  const { tier, problems } = openTier({ url: redis.url, timeout: '2s' });
  const inFlight = entry('https://app.test/canvaskit.wasm', bytes(20 * MB));
  const upload = tier.publish(inFlight.meta, inFlight.body);
  await redis.kill();
  const outcome = await upload;
  expect(['dropped', 'uploaded']).toContain(outcome.kind);
  expect(codes(problems)).toEqual(outcome.kind === 'dropped' ? ['ERR_REMOTE_UNAVAILABLE'] : []);
  await redis.restart();
  expect(await tier.publish(inFlight.meta, inFlight.body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect((await tier.lookup(inFlight.meta.key))?.body.equals(inFlight.body)).toBe(true);
});

test('should give up on a server that accepts connections and never answers, by the deadline', async ({ openTier, openAdmin }) => {
  const silent = await silentServer();
  try {
    for (const url of [`http://127.0.0.1:${silent.port}/cache/`, `redis://127.0.0.1:${silent.port}`]) {
      const { tier, problems } = openTier({ url, timeout: 300 }, { breaker: { failures: 100 } });
      const { meta, body } = entry('https://app.test/main.dart.js', bytes(2 * MB));
      const started = Date.now();
      expect(await tier.lookup(meta.key)).toBeUndefined();
      expect((await tier.publish(meta, body)).kind).toBe('dropped');
      expect((await openAdmin({ url, timeout: 300 }).status()).reachable).toBe(false);
      // Three deadlines of 300 ms and one body deadline of 300 ms + 2 MB at 10 MB/s; the slack is for a loaded machine.
      expect(Date.now() - started, url).toBeLessThan(3 * 300 + 500 + 3000);
      expect(codes(problems), url).toEqual(['ERR_REMOTE_UNAVAILABLE', 'ERR_REMOTE_UNAVAILABLE']);
      expect(problems[0]!.message).toContain('timed out after 300 ms');
    }
  } finally {
    await silent.close();
  }
});

test('should open without failing or waiting when the remote is down, and miss quickly', async ({ openTier, openAdmin }) => {
  const port = await freePort();
  for (const url of [`redis://127.0.0.1:${port}`, `http://127.0.0.1:${port}/cache/`]) {
    const { tier, problems } = openTier(url);
    const { meta, body } = entry('https://app.test/main.dart.js', bytes(1000));
    expect(await tier.lookup(meta.key)).toBeUndefined();
    expect((await tier.publish(meta, body)).kind).toBe('dropped');
    expect(await openAdmin(url).status()).toMatchObject({ reachable: false, error: expect.stringContaining('ECONNREFUSED') });
    expect(codes(problems)).toEqual(['ERR_REMOTE_UNAVAILABLE', 'ERR_REMOTE_UNAVAILABLE']);
    expect(problems[0]!.message).toContain('Fix:');
  }
});

test('should connect ahead of the first lookup, and say nothing when it cannot: the first lookup meets a down remote itself', async ({ redis, nginx, openTier }) => {
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(1000));
  const redisTier = openTier(redis.url);
  expect((await redisTier.tier.publish(meta, body)).kind).toBe('uploaded');
  const fresh = openTier(redis.url);
  await fresh.tier.connect();
  // The admin client, the writer's connection, and the new tier's read connections, before any lookup.
  const clients = (await redis.client().client('LIST') as string).split('\n').filter(Boolean);
  expect(clients.length).toBe(2 + REDIS_READ_CONNECTIONS);
  expect((await fresh.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
  const web = openTier(nginx.url);
  await web.tier.connect();
  const asked = (await nginx.requests()).map(line => line.split(' ').slice(0, 2).join(' ')).filter(line => line.includes(' /cache/'));
  expect(asked).toEqual([`HEAD /cache/ac/${'0'.repeat(64)}`]);

  const port = await freePort();
  for (const url of [`redis://127.0.0.1:${port}`, `http://127.0.0.1:${port}/cache/`]) {
    const { tier, problems } = openTier(url);
    await tier.connect();
    expect(problems, url).toEqual([]);
    expect(tier.stats(), url).toMatchObject({ remoteErrors: 0, breakerOpened: 0 });
    expect(await tier.lookup(meta.key)).toBeUndefined();
    expect(codes(problems), url).toEqual(['ERR_REMOTE_UNAVAILABLE']);
    expect(problems[0]!.message, url).toContain('ECONNREFUSED');
  }
});

test('should treat HTTP 500 as unavailable and keep uploading, but stop uploads on 403', async ({ openTier }) => {
  const broken = await failingServer(500);
  const forbidden = await failingServer(403);
  try {
    const { meta, body } = entry('https://app.test/main.dart.js', bytes(1000));
    const flaky = openTier(broken.url);
    expect(await flaky.tier.lookup(meta.key)).toBeUndefined();
    expect((await flaky.tier.publish(meta, body)).kind).toBe('dropped');
    expect((await flaky.tier.publish(meta, body)).kind).toBe('dropped');
    expect(codes(flaky.problems)).toEqual(Array(3).fill('ERR_REMOTE_UNAVAILABLE'));

    const denied = openTier(forbidden.url);
    expect((await denied.tier.publish(meta, body)).kind).toBe('dropped');
    expect((await denied.tier.publish(meta, body)).kind).toBe('skipped');
    expect(codes(denied.problems)).toEqual(['ERR_REMOTE_WRITE_REFUSED']);
    expect(denied.problems[0]!.message).toContain('readOnly: true');
  } finally {
    await broken.close();
    await forbidden.close();
  }
});

test('should report a full Redis once with the fix and stop uploads, and a wrong password with its fix', async ({ startRedis, openTier, openAdmin }) => {
  const full = await startRedis({ maxmemory: '3mb', maxmemoryPolicy: 'noeviction' });
  const { tier, problems } = openTier(full.url);
  for (let i = 0; i < 3; i++) {
    const { meta, body } = entry(`https://app.test/bundle-${i}.js`, bytes(2 * MB));
    await tier.publish(meta, body);
  }
  expect(codes(problems)).toEqual(['ERR_REMOTE_WRITE_REFUSED']);
  expect(problems[0]!.message).toContain('allkeys-lru');

  const locked = await startRedis({ password: 'right-password' });
  const wrong = openTier(locked.url.replace('right-password', 'wrong-password'));
  expect(await wrong.tier.lookup('GET https://app.test/x.js')).toBeUndefined();
  expect(codes(wrong.problems)).toEqual(['ERR_REMOTE_UNAVAILABLE']);
  expect(wrong.problems[0]!.message).toContain('password');
  expect(wrong.problems[0]!.message).not.toContain('wrong-password');
  expect((await openAdmin(locked.url).status()).reachable).toBe(true);
});
