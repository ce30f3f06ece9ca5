import type { Redis } from 'ioredis';
import { REDIS_CHUNK_BYTES } from '../../../src/remote/redisClient.js';
import { recordId } from '../../../src/remote/entryRecord.js';
import { BODY_TTL_MARGIN_MS } from '../../../src/remote/uploadEntry.js';
import { bytes, codes, entry, expect, MB, test } from './fixtures.js';

async function keysOf(client: Redis, pattern = '*'): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys.sort();
}

/** Every command Redis runs from now on, as its argument list (values cut to 120 characters). */
async function watchCommands(client: Redis): Promise<string[][]> {
  const seen: string[][] = [];
  const monitor = await client.monitor();
  monitor.on('monitor', (_time: string, args: string[]) => seen.push(args.map(arg => arg.slice(0, 120))));
  return seen;
}

test('should round-trip a small and a 50 MB body through Redis in chunks of at most 4 MB, checked byte for byte', async ({ redis, openTier }) => {
  const admin = redis.client();
  const writer = openTier(redis.url);
  const reader = openTier(redis.url);
  const small = entry('https://app.test/flutter_bootstrap.js', bytes(1234));
  const large = entry('https://app.test/main.dart.js', bytes(50 * MB));
  expect(await writer.tier.publish(small.meta, small.body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect(await writer.tier.publish(large.meta, large.body)).toEqual({ kind: 'uploaded', bodySent: true });
  const chunkKeys = await keysOf(admin, `bundle-cache:cas:${large.meta.sha256}:*`);
  expect(chunkKeys.length).toBe(13);
  const lengths = await Promise.all(chunkKeys.map(key => admin.strlen(key)));
  expect(Math.max(...lengths)).toBeLessThanOrEqual(4 * MB);
  expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(50 * MB);

  const gotSmall = await reader.tier.lookup(small.meta.key);
  const gotLarge = await reader.tier.lookup(large.meta.key);
  expect(gotSmall?.meta).toEqual(small.meta);
  expect(gotSmall?.body.equals(small.body)).toBe(true);
  expect(gotLarge?.meta).toEqual(large.meta);
  expect(gotLarge?.body.equals(large.body)).toBe(true);
  expect(await reader.tier.lookup('GET https://app.test/absent.js')).toBeUndefined();
  expect(reader.tier.stats()).toMatchObject({ remoteHits: 2, remoteMisses: 1, bytesFromRemote: 50 * MB + 1234, remoteErrors: 0 });
  expect(writer.tier.stats()).toMatchObject({ uploads: 2, bytesToRemote: 50 * MB + 1234, bodiesAlreadyThere: 0 });
  expect([...writer.problems, ...reader.problems]).toEqual([]);
});

test('should write the chunks first and the record last, with TTLs from maxAge (chunks an hour longer)', async ({ redis, openTier }) => {
  const admin = redis.client();
  const commands = await watchCommands(redis.client());
  // MONITOR slows Redis down: a generous deadline keeps this test about order and TTLs.
  const { tier } = openTier({ url: redis.url, timeout: '30s' });
  // Printable bytes keep MONITOR's output small.
  const body = Buffer.alloc(REDIS_CHUNK_BYTES + 5, 'a');
  const { meta } = entry('https://app.test/canvaskit.wasm', body, { maxAgeMs: 3_600_000 });
  expect(await tier.publish(meta, body)).toEqual({ kind: 'uploaded', bodySent: true });

  const chunkKeys = await keysOf(admin, 'bundle-cache:cas:*');
  expect(chunkKeys).toEqual([0, 1].map(index => `bundle-cache:cas:${meta.sha256}:${index}`));
  expect(await Promise.all(chunkKeys.map(key => admin.strlen(key)))).toEqual([REDIS_CHUNK_BYTES, 5]);
  const recordKey = `bundle-cache:ac:${recordId(meta.key)}`;
  const recordTtl = await admin.pttl(recordKey);
  expect(recordTtl).toBeGreaterThan(3_500_000);
  expect(recordTtl).toBeLessThanOrEqual(3_600_000);
  for (const key of chunkKeys)
    expect(await admin.pttl(key)).toBeGreaterThan(recordTtl + BODY_TTL_MARGIN_MS - 60_000);

  await expect.poll(() => commands.filter(args => args[0]?.toLowerCase() === 'set').length).toBe(3);
  const writes = commands.filter(args => ['set', 'unlink', 'del'].includes(args[0]!.toLowerCase())).map(args => args[1]);
  expect(writes).toEqual([...chunkKeys, recordKey]);
  const names = new Set(commands.map(args => args[0]!.toLowerCase()));
  for (const admin of ['keys', 'config', 'flushall', 'flushdb', 'info'])
    expect(names.has(admin)).toBe(false);
});

test('should not send a body that is already there again, and extend its TTL instead', async ({ redis, openTier }) => {
  const admin = redis.client();
  const { tier } = openTier(redis.url);
  const body = bytes(5 * MB);
  const first = entry('https://app.test/a/main.dart.js', body, { maxAgeMs: 60_000 });
  const second = entry('https://app.test/b/main.dart.js', body, { maxAgeMs: 7_200_000 });
  expect(await tier.publish(first.meta, first.body)).toEqual({ kind: 'uploaded', bodySent: true });
  const ttlBefore = await admin.pttl(`bundle-cache:cas:${first.meta.sha256}:0`);
  expect(await tier.publish(second.meta, second.body)).toEqual({ kind: 'uploaded', bodySent: false });
  expect(tier.stats()).toMatchObject({ uploads: 2, bytesToRemote: 5 * MB, bodiesAlreadyThere: 1 });
  expect(await admin.pttl(`bundle-cache:cas:${first.meta.sha256}:0`)).toBeGreaterThan(ttlBefore + 7_000_000);
  expect((await tier.lookup(second.meta.key))?.body.equals(body)).toBe(true);
});

test('should treat a tampered chunk as a miss, report it, delete the bad body, and take a fresh upload', async ({ redis, openTier }) => {
  const admin = redis.client();
  const writer = openTier(redis.url);
  const reader = openTier(redis.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(6 * MB));
  await writer.tier.publish(meta, body);
  // Same length, different bytes: only the sha256 check can tell.
  await admin.setrange(`bundle-cache:cas:${meta.sha256}:1`, 100, 'POISON');

  expect(await reader.tier.lookup(meta.key)).toBeUndefined();
  expect(codes(reader.problems)).toEqual(['ERR_REMOTE_CORRUPT']);
  expect(reader.problems[0]!.details).toMatchObject({ expected: meta.sha256 });
  expect(reader.problems[0]!.message).toContain('main.dart.js');
  await expect.poll(() => keysOf(admin, 'bundle-cache:cas:*')).toEqual([]);

  expect(await writer.tier.publish({ ...meta, storedAt: new Date().toISOString() }, body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect((await reader.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
});

test('should treat a chunk gone from under a record as a plain miss, never as bytes', async ({ redis, openTier }) => {
  const admin = redis.client();
  const writer = openTier(redis.url);
  const reader = openTier(redis.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(9 * MB));
  await writer.tier.publish(meta, body);
  await admin.unlink(`bundle-cache:cas:${meta.sha256}:2`);
  expect(await reader.tier.lookup(meta.key)).toBeUndefined();
  expect(reader.problems).toEqual([]);
  expect(reader.tier.stats()).toMatchObject({ remoteHits: 0, remoteMisses: 1 });
});

test('should serve misses and never wrong bytes from a Redis whose tiny maxmemory evicts chunks', async ({ startRedis, openTier }) => {
  const redis = await startRedis({ maxmemory: '12mb' });
  const writer = openTier(redis.url);
  const reader = openTier(redis.url);
  const entries = Array.from({ length: 8 }, (_, index) => entry(`https://app.test/bundle-${index}.js`, bytes(5 * MB)));
  for (const { meta, body } of entries)
    await writer.tier.publish(meta, body);
  const info = await redis.client().info('stats');
  expect(Number(/evicted_keys:(\d+)/.exec(info)?.[1])).toBeGreaterThan(0);

  let hits = 0;
  for (const { meta, body } of entries) {
    const found = await reader.tier.lookup(meta.key);
    if (found) {
      hits++;
      expect(found.body.equals(body)).toBe(true);
      expect(found.meta).toEqual(meta);
    }
  }
  expect(hits).toBeLessThan(entries.length);
  expect(reader.tier.stats()).toMatchObject({ remoteHits: hits, remoteMisses: entries.length - hits });
  expect(reader.problems).toEqual([]);
});

test('should keep every key under the configured prefix', async ({ redis, openTier }) => {
  const admin = redis.client();
  const { tier } = openTier({ url: redis.url, prefix: 'ci/app:' });
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(1000));
  await tier.publish(meta, body);
  const keys = await keysOf(admin);
  expect(keys.length).toBe(2);
  expect(keys.every(key => key.startsWith('ci/app:'))).toBe(true);
  expect((await tier.lookup(meta.key))?.body.equals(body)).toBe(true);
  const other = openTier(redis.url);
  expect(await other.tier.lookup(meta.key)).toBeUndefined();
});
