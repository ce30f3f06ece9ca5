import type { Redis } from 'ioredis';
import { bytes, entry, expect, MB, silentServer, test } from './fixtures.js';

const dbsize = (client: Redis) => client.dbsize();

test('should refuse to share a response that is not a 200, a body that is not its meta\'s size, or an expired entry', async ({ redis, openTier }) => {
  const admin = redis.client();
  const { tier, problems } = openTier(redis.url);
  const notFound = entry('https://app.test/missing.js', bytes(100), { status: 404 });
  expect(await tier.publish(notFound.meta, notFound.body)).toEqual({ kind: 'skipped', reason: 'status 404: only 200 responses are shared' });
  const partial = entry('https://app.test/partial.js', bytes(100), { status: 206 });
  expect((await tier.publish(partial.meta, partial.body)).kind).toBe('skipped');
  const mismatched = entry('https://app.test/main.dart.js', bytes(100));
  expect(await tier.publish(mismatched.meta, bytes(99))).toMatchObject({ kind: 'skipped', reason: 'the body is 99 bytes, its meta says 100' });
  const expired = entry('https://app.test/old.js', bytes(100), { now: Date.now() - 10_000, maxAgeMs: 5_000 });
  expect((await tier.publish(expired.meta, expired.body)).kind).toBe('skipped');
  expect(await dbsize(admin)).toBe(0);
  expect(problems).toEqual([]);
  expect(tier.stats().uploads).toBe(0);
});

test('should wait for background uploads on flush, and upload one key once at a time', async ({ redis, openTier }) => {
  const reader = openTier(redis.url);
  const { tier } = openTier(redis.url);
  const entries = Array.from({ length: 5 }, (_, index) => entry(`https://app.test/chunk-${index}.js`, bytes(MB)));
  const outcomes = entries.map(({ meta, body }) => tier.publish(meta, body));
  const again = tier.publish(entries[0]!.meta, entries[0]!.body);
  expect(await tier.flush(30_000)).toEqual({ settled: 5, dropped: [] });
  expect(await Promise.all(outcomes)).toEqual(Array(5).fill({ kind: 'uploaded', bodySent: true }));
  expect(await again).toEqual({ kind: 'uploaded', bodySent: true });
  expect(tier.stats()).toMatchObject({ uploads: 5, bytesToRemote: 5 * MB });
  for (const { meta, body } of entries)
    expect((await reader.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
});

test('should cut uploads at the flush bound, say which were dropped, and never write their records', async ({ openTier }) => {
  const silent = await silentServer();
  try {
    const { tier } = openTier({ url: `http://127.0.0.1:${silent.port}/cache/`, timeout: '60s' });
    const first = entry('https://app.test/main.dart.js', bytes(3 * MB));
    const second = entry('https://app.test/canvaskit.wasm', bytes(2 * MB));
    const outcomes = [tier.publish(first.meta, first.body), tier.publish(second.meta, second.body)];
    const result = await tier.close(200);
    expect(result).toEqual({
      settled: 0,
      dropped: [
        { key: first.meta.key, url: first.meta.url, size: 3 * MB, reason: 'not finished within the 200 ms flush bound' },
        { key: second.meta.key, url: second.meta.url, size: 2 * MB, reason: 'not finished within the 200 ms flush bound' },
      ],
    });
    expect((await Promise.all(outcomes)).map(outcome => outcome.kind)).toEqual(['dropped', 'dropped']);
    expect(tier.stats()).toMatchObject({ uploads: 0, uploadsDropped: 2, remoteErrors: 0 });
    expect(await tier.lookup(first.meta.key)).toBeUndefined();
    expect(await tier.publish(first.meta, first.body)).toEqual({ kind: 'skipped', reason: 'the remote tier is closed' });
  } finally {
    await silent.close();
  }
});

test('should drop a publish when the queue already holds too many bytes, and count it', async ({ redis, openTier }) => {
  const { tier } = openTier(redis.url, { maxPendingUploadBytes: 3 * MB, uploadConcurrency: 1 });
  const first = entry('https://app.test/a.js', bytes(2 * MB));
  const second = entry('https://app.test/b.js', bytes(2 * MB));
  const queued = tier.publish(first.meta, first.body);
  expect(await tier.publish(second.meta, second.body)).toMatchObject({ kind: 'dropped', reason: expect.stringContaining('queue is full') });
  expect((await queued).kind).toBe('uploaded');
  expect(tier.stats()).toMatchObject({ uploads: 1, uploadsDropped: 1 });
  expect((await tier.publish(second.meta, second.body)).kind).toBe('uploaded');
});

test('should upload a new body for a key after the one before it, so the newer record wins', async ({ redis, openTier }) => {
  const { tier } = openTier(redis.url);
  const older = entry('https://app.test/main.dart.js', bytes(8 * MB));
  const newer = entry('https://app.test/main.dart.js', bytes(1000));
  const outcomes = [tier.publish(older.meta, older.body), tier.publish(newer.meta, newer.body)];
  expect((await Promise.all(outcomes)).map(outcome => outcome.kind)).toEqual(['uploaded', 'uploaded']);
  expect((await tier.lookup(newer.meta.key))?.body.equals(newer.body)).toBe(true);
});
