import fs from 'node:fs/promises';
import path from 'node:path';
import { isBundleCacheError } from '../../../src/errors.js';
import type { RemoteStore } from '../../../src/remote/store.js';
import { listFiles } from '../../helpers/tempDir.js';
import { freePort } from '../../helpers/serverProcess.js';
import { bytes, entry, expect, test } from './fixtures.js';

// What a read-only machine may run (and QUIT, at close).
const READ_COMMANDS = new Set(['get', 'exists', 'ping', 'scan', 'quit']);

async function commandsRun(info: string): Promise<string[]> {
  return [...info.matchAll(/^cmdstat_([a-z|]+):calls=/gm)].map(match => match[1]!);
}

test('should write nothing to Redis from a read-only machine: no record, body, lock or delete', async ({ redis, openTier, openAdmin }) => {
  const admin = redis.client();
  const trusted = openTier(redis.url);
  const stored = entry('https://app.test/main.dart.js', bytes(5_000_000));
  const tampered = entry('https://app.test/tampered.js', bytes(1000));
  await trusted.tier.publish(stored.meta, stored.body);
  await trusted.tier.publish(tampered.meta, tampered.body);
  await admin.setrange(`bundle-cache:cas:${tampered.meta.sha256}:0`, 0, 'X');
  const before = (await admin.keys('*')).sort();
  await admin.config('RESETSTAT');

  const { tier } = openTier({ url: redis.url, readOnly: true });
  const fresh = entry('https://app.test/fresh.js', bytes(1000));
  expect(await tier.publish(fresh.meta, fresh.body)).toEqual({ kind: 'skipped', reason: 'the remote is read-only' });
  expect((await tier.lookup(stored.meta.key))?.body.equals(stored.body)).toBe(true);
  expect(await tier.lookup(tampered.meta.key)).toBeUndefined();
  expect(await tier.flight!.lock(fresh.meta.key)).toEqual({ kind: 'none', reason: 'read-only: this machine takes no locks' });
  expect(await tier.flight!.wait(fresh.meta.key, 200)).toBe(true);
  await tier.close();
  const operator = openAdmin({ url: redis.url, readOnly: true });
  expect((await operator.verify()).checked).toBe(2);
  expect(await operator.status()).toMatchObject({ readOnly: true, reachable: true, fleetLock: false });
  await operator.close();

  const ran = await commandsRun(await admin.info('commandstats'));
  expect(ran).toEqual(expect.arrayContaining(['get', 'exists', 'scan', 'ping']));
  expect(ran.filter(name => !READ_COMMANDS.has(name) && name !== 'config|resetstat')).toEqual([]);
  expect((await admin.keys('*')).sort()).toEqual(before);
});

test('should wait on a trusted machine\'s lock from a read-only machine without taking one', async ({ redis, openTier }) => {
  const trusted = openTier(redis.url);
  const readOnly = openTier({ url: redis.url, readOnly: true });
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(1000));
  const held = await trusted.tier.flight!.lock(meta.key);
  expect(held.kind).toBe('acquired');
  expect(await readOnly.tier.flight!.lock(meta.key)).toEqual({ kind: 'busy' });
  const waiting = readOnly.tier.flight!.wait(meta.key, 10_000);
  await trusted.tier.publish(meta, body);
  if (held.kind === 'acquired')
    await held.lock.release();
  expect(await waiting).toBe(true);
  expect((await readOnly.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
});

test('should write nothing to nginx from a read-only machine', async ({ nginx, openTier }) => {
  const trusted = openTier(nginx.url);
  const tampered = entry('https://app.test/tampered.js', bytes(1000));
  await trusted.tier.publish(tampered.meta, tampered.body);
  await fs.writeFile(path.join(nginx.storage, 'cas', tampered.meta.sha256), bytes(1000));
  const files = await listFiles(nginx.storage);
  const logged = (await nginx.requests()).length;

  const { tier } = openTier({ url: nginx.url, readOnly: true });
  const fresh = entry('https://app.test/fresh.js', bytes(1000));
  expect((await tier.publish(fresh.meta, fresh.body)).kind).toBe('skipped');
  expect(await tier.lookup(tampered.meta.key)).toBeUndefined();
  expect(tier.flight).toBeUndefined();
  await tier.close();

  const methods = (await nginx.requests()).slice(logged).map(line => line.split(' ')[0]);
  expect(methods.length).toBeGreaterThan(0);
  expect(methods.filter(method => method !== 'GET' && method !== 'HEAD')).toEqual([]);
  expect(await listFiles(nginx.storage)).toEqual(files);
});

test('should refuse every write in the store itself, before touching the network, on both backends', async ({ openStore }) => {
  const port = await freePort();
  const stores: RemoteStore[] = [openStore({ url: `redis://127.0.0.1:${port}`, readOnly: true }), openStore({ url: `http://127.0.0.1:${port}/cache/`, readOnly: true })];
  const body = { sha256: 'a'.repeat(64), size: 1 };
  for (const store of stores) {
    const signal = AbortSignal.timeout(5000);
    const writes: Array<() => Promise<unknown>> = [
      () => store.putRecord('a'.repeat(64), Buffer.from('{}'), 1000, signal),
      () => store.deleteRecord('a'.repeat(64), signal),
      () => store.putBody(body, Buffer.from('x'), 1000, signal),
      () => store.deleteBody(body, signal),
      () => store.hasBody(body, 1000, signal),
    ];
    if (store.fleetLocks) {
      const locks = store.fleetLocks;
      writes.push(() => locks.acquire('a', 't', 1000, signal), () => locks.renew('a', 't', 1000, signal), () => locks.release('a', 't', signal));
    }
    for (const write of writes) {
      const error = await write().then(() => undefined, failure => failure);
      expect(isBundleCacheError(error, 'ERR_REMOTE_WRITE_REFUSED'), `${store.kind}: ${error}`).toBe(true);
    }
  }
});

// The ACL users of docs/remote.md's Redis recipe, word for word.
const WRITER_ACL = 'on >writer-password ~bundle-cache:* resetchannels -@all +get +set +exists +unlink +strlen +pttl +pexpire +eval +evalsha +ping +scan';
const READER_ACL = 'on >reader-password ~bundle-cache:* resetchannels -@all +get +exists +ping +scan';

test('should work with the Redis ACL users of docs/remote.md: the writer does everything, the reader only reads and is refused writes', async ({ redis, openTier, openAdmin }) => {
  const admin = redis.client();
  await admin.call('ACL', 'SETUSER', 'ci-writer', ...WRITER_ACL.split(' '));
  await admin.call('ACL', 'SETUSER', 'fork-reader', ...READER_ACL.split(' '));
  const at = (user: string, password: string) => redis.url.replace('redis://', `redis://${user}:${password}@`);
  const writer = openTier(at('ci-writer', 'writer-password'));
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(5_000_000));
  const held = await writer.tier.flight!.lock(meta.key);
  expect(held.kind).toBe('acquired');
  const reader = openTier({ url: at('fork-reader', 'reader-password'), readOnly: true });
  expect(await reader.tier.flight!.lock(meta.key)).toEqual({ kind: 'busy' });
  const waiting = reader.tier.flight!.wait(meta.key, 30_000);
  expect(await writer.tier.publish(meta, body)).toEqual({ kind: 'uploaded', bodySent: true });
  if (held.kind === 'acquired')
    await held.lock.release();
  expect(await writer.tier.publish({ ...meta, key: `${meta.key}?again` }, body)).toEqual({ kind: 'uploaded', bodySent: false });
  expect(await waiting).toBe(true);
  expect((await reader.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
  expect((await openAdmin({ url: at('fork-reader', 'reader-password'), readOnly: true }).verify()).ok).toBe(2);
  expect([...writer.problems, ...reader.problems]).toEqual([]);

  // The same reader credentials without readOnly: Redis itself refuses, once, with the fix.
  const careless = openTier(at('fork-reader', 'reader-password'));
  const other = entry('https://app.test/other.js', bytes(1000));
  expect((await careless.tier.publish(other.meta, other.body)).kind).toBe('dropped');
  expect((await careless.tier.publish(other.meta, other.body)).kind).toBe('skipped');
  expect(careless.problems.map(problem => problem.code)).toEqual(['ERR_REMOTE_WRITE_REFUSED']);
  expect(careless.problems[0]!.message).toContain('readOnly: true');
});
