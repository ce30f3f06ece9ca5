import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { withDeadline } from '../../../src/remote/deadline.js';
import { REDIS_CHUNK_BYTES } from '../../../src/remote/redisClient.js';
import { REDIS_READ_CONNECTIONS } from '../../../src/remote/redisStore.js';
import { bytes, expect, test } from './fixtures.js';

/** The addresses of the clients connected to Redis, the admin's own left out. */
async function storeClients(admin: Redis): Promise<string[]> {
  const own = await admin.client('ID');
  const list = await admin.client('LIST') as string;
  return list.trim().split('\n').filter(line => !line.startsWith(`id=${own} `)).map(line => /\baddr=(\S+)/.exec(line)![1]!).sort();
}

test('should connect its read connections ahead, read a body\'s chunks and a record asked for meanwhile on separate ones, and close them all', async ({ redis, openStore }) => {
  const admin = redis.client();
  const store = openStore(redis.url);
  const data = bytes(REDIS_CHUNK_BYTES + 1000);
  const body = { sha256: createHash('sha256').update(data).digest('hex'), size: data.length, chunks: store.bodyLayout(data.length) };
  const record = Buffer.from('{"a record":true}');
  const run = <T>(work: (signal: AbortSignal) => Promise<T>) => withDeadline(10_000, undefined, work);

  await run(signal => store.connect(signal));
  const connected = await storeClients(admin);
  expect(connected.length).toBe(REDIS_READ_CONNECTIONS);
  await run(signal => store.putBody(body, data, 60_000, signal));
  await run(signal => store.putRecord('r', record, 60_000, signal));

  const monitor = await redis.client().monitor();
  const gets: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (args[0]?.toUpperCase() === 'GET')
      gets.push(source);
  });
  const [gotBody, gotRecord] = await run(signal => Promise.all([store.getBody(body, signal), store.getRecord('r', signal)]));
  expect(gotBody?.equals(data)).toBe(true);
  expect(gotRecord?.equals(record)).toBe(true);
  await expect.poll(() => gets.length).toBe(3);
  // Two chunks and the record, each on its own connection, all of them opened ahead (no new one).
  expect(new Set(gets).size).toBe(3);
  expect(gets.every(source => connected.includes(source))).toBe(true);
  monitor.disconnect();

  await store.close();
  await expect.poll(() => storeClients(admin)).toEqual([]);
});

test('should share the least busy connection when more reads than connections are in flight, and miss a body with a chunk gone', async ({ redis, openStore }) => {
  const admin = redis.client();
  const store = openStore(redis.url);
  const data = bytes(3 * REDIS_CHUNK_BYTES + 1000);
  const body = { sha256: createHash('sha256').update(data).digest('hex'), size: data.length, chunks: store.bodyLayout(data.length) };
  const run = <T>(work: (signal: AbortSignal) => Promise<T>) => withDeadline(10_000, undefined, work);
  await run(signal => store.putBody(body, data, 60_000, signal));

  const reads = await run(signal => Promise.all([store.getBody(body, signal), store.getBody(body, signal)]));
  expect(reads.every(read => read?.equals(data))).toBe(true);
  expect((await storeClients(admin)).length).toBe(REDIS_READ_CONNECTIONS);

  await admin.unlink(`bundle-cache:cas:${body.sha256}:2`);
  expect(await run(signal => store.getBody(body, signal))).toBeUndefined();
});
