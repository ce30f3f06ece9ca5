import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { encodeRecord, recordId } from '../../../src/remote/entryRecord.js';
import { listFiles } from '../../helpers/tempDir.js';
import { bytes, codes, entry, expect, MB, test } from './fixtures.js';

/** Sends a PUT that announces `announced` bytes, writes only `sent` of them, and hangs up. */
async function cutOffPut(port: number, urlPath: string, body: Buffer, sent: number): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(`PUT ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n\r\n`);
  await new Promise<void>(resolve => socket.write(body.subarray(0, sent), () => resolve()));
  socket.destroy();
}

test('should round-trip a small and a 50 MB body through nginx WebDAV in the Bazel layout, body first, record last', async ({ nginx, openTier }) => {
  const writer = openTier(nginx.url);
  const reader = openTier(nginx.url);
  const small = entry('https://app.test/flutter_bootstrap.js', bytes(1234));
  const large = entry('https://app.test/main.dart.js', bytes(50 * MB));
  expect(await writer.tier.publish(small.meta, small.body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect(await writer.tier.publish(large.meta, large.body)).toEqual({ kind: 'uploaded', bodySent: true });

  const gotSmall = await reader.tier.lookup(small.meta.key);
  const gotLarge = await reader.tier.lookup(large.meta.key);
  expect(gotSmall?.meta).toEqual(small.meta);
  expect(gotSmall?.body.equals(small.body)).toBe(true);
  expect(gotLarge?.body.equals(large.body)).toBe(true);
  expect(reader.tier.stats()).toMatchObject({ remoteHits: 2, bytesFromRemote: 50 * MB + 1234 });

  expect(await listFiles(nginx.storage)).toEqual([
    `ac/${recordId(large.meta.key)}`, `ac/${recordId(small.meta.key)}`, `cas/${large.meta.sha256}`, `cas/${small.meta.sha256}`,
  ].sort());
  const requests = await nginx.requests();
  const ofSmall = requests.filter(line => line.includes(small.meta.sha256) || line.includes(recordId(small.meta.key)));
  expect(ofSmall).toEqual([
    `HEAD /cache/cas/${small.meta.sha256} 404`,
    `PUT /cache/cas/${small.meta.sha256} 201`,
    `PUT /cache/ac/${recordId(small.meta.key)} 201`,
    `GET /cache/ac/${recordId(small.meta.key)} 200`,
    `GET /cache/cas/${small.meta.sha256} 200`,
  ]);
  expect([...writer.problems, ...reader.problems]).toEqual([]);
});

test('should not PUT a body that HEAD finds already there', async ({ nginx, openTier }) => {
  const { tier } = openTier(nginx.url);
  const body = bytes(3 * MB);
  const first = entry('https://app.test/a/canvaskit.wasm', body);
  const second = entry('https://app.test/b/canvaskit.wasm', body);
  await tier.publish(first.meta, first.body);
  expect(await tier.publish(second.meta, second.body)).toEqual({ kind: 'uploaded', bodySent: false });
  const puts = (await nginx.requests()).filter(line => line.startsWith(`PUT /cache/cas/`));
  expect(puts).toEqual([`PUT /cache/cas/${first.meta.sha256} 201`]);
  expect(tier.stats()).toMatchObject({ uploads: 2, bodiesAlreadyThere: 1, bytesToRemote: 3 * MB });
});

test('should treat a tampered body as a miss, report it, delete it, and take a fresh upload', async ({ nginx, openTier }) => {
  const writer = openTier(nginx.url);
  const reader = openTier(nginx.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(2 * MB));
  await writer.tier.publish(meta, body);
  const file = path.join(nginx.storage, 'cas', meta.sha256);
  const poisoned = Buffer.from(body);
  poisoned.write('POISON', 1000);
  await fs.writeFile(file, poisoned);

  expect(await reader.tier.lookup(meta.key)).toBeUndefined();
  expect(codes(reader.problems)).toEqual(['ERR_REMOTE_CORRUPT']);
  await expect.poll(() => fs.access(file).then(() => 'there', () => 'deleted')).toBe('deleted');
  expect(await writer.tier.publish({ ...meta, storedAt: new Date().toISOString() }, body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect((await reader.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
});

test('should never serve a PUT cut off mid-body', async ({ nginx, openTier }) => {
  const reader = openTier(nginx.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(4 * MB));
  // A writer that dies mid-body, and whose record got out anyway (the worst order).
  await cutOffPut(nginx.port, `/cache/cas/${meta.sha256}`, body, 2 * MB);
  await fetch(`${nginx.url}ac/${recordId(meta.key)}`, { method: 'PUT', body: new Uint8Array(encodeRecord(meta, undefined, undefined)) });
  await expect.poll(async () => (await nginx.requests()).some(line => line.startsWith(`PUT /cache/cas/${meta.sha256}`))).toBe(true);
  expect(await listFiles(nginx.storage)).toEqual([`ac/${recordId(meta.key)}`]);
  expect(await reader.tier.lookup(meta.key)).toBeUndefined();

  // A server that kept the half it got: the size check refuses it, and a writer's HEAD sends the body again.
  await fetch(`${nginx.url}cas/${meta.sha256}`, { method: 'PUT', body: new Uint8Array(body.subarray(0, 2 * MB)) });
  expect(await reader.tier.lookup(meta.key)).toBeUndefined();
  expect(codes(reader.problems)).toEqual(['ERR_REMOTE_CORRUPT']);
  expect(reader.problems[0]!.details).toMatchObject({ expectedSize: 4 * MB, foundSize: 2 * MB });
  const writer = openTier(nginx.url);
  expect(await writer.tier.publish(meta, body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect((await reader.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
});

test('should report a 413 from nginx\'s default 1 MB limit once, with the fix, and stop uploading for the run', async ({ startNginx, openTier }) => {
  const nginx = await startNginx();
  const { tier, problems } = openTier(nginx.url);
  const big = entry('https://app.test/main.dart.js', bytes(2 * MB));
  const outcome = await tier.publish(big.meta, big.body);
  expect(outcome.kind).toBe('dropped');
  expect(codes(problems)).toEqual(['ERR_REMOTE_WRITE_REFUSED']);
  expect(problems[0]!.message).toContain('client_max_body_size');
  expect(problems[0]!.details).toMatchObject({ status: 413 });

  const small = entry('https://app.test/small.js', bytes(10_000));
  expect(await tier.publish(small.meta, small.body)).toMatchObject({ kind: 'skipped', reason: expect.stringContaining('uploads stopped for this run (ERR_REMOTE_WRITE_REFUSED') });
  expect(problems.length).toBe(1);
  // nginx logs a 413 once it has discarded the refused body, which may be after the client has its answer.
  await expect.poll(async () => (await nginx.requests()).filter(line => line.startsWith('PUT'))).toEqual([`PUT /cache/cas/${big.meta.sha256} 413`]);
  expect(tier.stats()).toMatchObject({ uploads: 0, uploadsDropped: 1 });
});

test('should read anonymously and write with credentials when nginx asks writers for Basic auth', async ({ startNginx, openTier }) => {
  const nginx = await startNginx({ clientMaxBodySize: '10m', writer: { user: 'ci', password: 'p@ss/word' } });
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(100_000));
  const anonymous = openTier(nginx.url);
  expect((await anonymous.tier.publish(meta, body)).kind).toBe('dropped');
  expect(codes(anonymous.problems)).toEqual(['ERR_REMOTE_WRITE_REFUSED']);
  expect(anonymous.problems[0]!.details).toMatchObject({ status: 401 });

  const trusted = openTier(nginx.url.replace('http://', `http://ci:${encodeURIComponent('p@ss/word')}@`));
  expect(trusted.tier.location).not.toContain('word');
  expect(await trusted.tier.publish(meta, body)).toEqual({ kind: 'uploaded', bodySent: true });
  expect((await anonymous.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
});
