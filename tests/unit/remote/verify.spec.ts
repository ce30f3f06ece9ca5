import fs from 'node:fs/promises';
import path from 'node:path';
import { recordId } from '../../../src/remote/entryRecord.js';
import { bytes, entry, expect, test } from './fixtures.js';

const SECRET = 'verify-secret-0123456789abcdef-0123456789';

test('should list every record on Redis and report each kind of problem, changing nothing', async ({ redis, openTier, openAdmin }) => {
  const admin = redis.client();
  const signedWriter = openTier({ url: redis.url, secret: SECRET });
  const unsignedWriter = openTier(redis.url);
  const good = entry('https://app.test/good.js', bytes(5_000_000));
  const unsigned = entry('https://app.test/unsigned.js', bytes(1000));
  const tampered = entry('https://app.test/tampered.js', bytes(1000));
  const evicted = entry('https://app.test/evicted.js', bytes(1000));
  await signedWriter.tier.publish(good.meta, good.body);
  await unsignedWriter.tier.publish(unsigned.meta, unsigned.body);
  await signedWriter.tier.publish(tampered.meta, tampered.body);
  await signedWriter.tier.publish(evicted.meta, evicted.body);
  await admin.setrange(`bundle-cache:cas:${tampered.meta.sha256}:0`, 10, 'X');
  await admin.unlink(`bundle-cache:cas:${evicted.meta.sha256}:0`);
  await admin.set(`bundle-cache:ac:${'e'.repeat(64)}`, 'garbage');
  const keys = (await admin.keys('*')).sort();

  const result = await openAdmin({ url: redis.url, secret: SECRET }).verify();
  expect(result).toMatchObject({ kind: 'redis', scope: 'listed', signed: true, checked: 5, ok: 1, bytes: 5_000_000, error: undefined });
  const found = Object.fromEntries(result.problems.map(problem => [problem.id, problem.problem]));
  expect(found).toEqual({
    [recordId(unsigned.meta.key)]: 'untrusted',
    [recordId(tampered.meta.key)]: 'corrupt-body',
    [recordId(evicted.meta.key)]: 'body-missing',
    ['e'.repeat(64)]: 'corrupt-record',
  });
  expect(result.problems.find(problem => problem.problem === 'corrupt-body')?.detail).toContain(tampered.meta.sha256);
  expect((await admin.keys('*')).sort()).toEqual(keys);
});

test('should verify the records of the keys given on an HTTP store, which cannot be listed', async ({ nginx, openTier, openAdmin }) => {
  const writer = openTier(nginx.url);
  const good = entry('https://app.test/good.js', bytes(1000));
  const tampered = entry('https://app.test/tampered.js', bytes(1000));
  await writer.tier.publish(good.meta, good.body);
  await writer.tier.publish(tampered.meta, tampered.body);
  await fs.writeFile(path.join(nginx.storage, 'cas', tampered.meta.sha256), 'short');

  const reader = openAdmin(nginx.url);
  const unlisted = await reader.verify();
  expect(unlisted).toMatchObject({ scope: 'listed', checked: 0, error: expect.stringContaining('give the keys') });
  const result = await reader.verify([good.meta.key, tampered.meta.key, 'GET https://app.test/never-stored.js']);
  expect(result).toMatchObject({ kind: 'http', scope: 'given', checked: 3, ok: 1, error: undefined });
  expect(result.problems.map(problem => [problem.key, problem.problem])).toEqual([
    [tampered.meta.key, 'corrupt-body'],
    ['GET https://app.test/never-stored.js', 'missing'],
  ]);
});

test('should say why verify could not run when the remote is down', async ({ redis, openAdmin }) => {
  const reader = openAdmin({ url: redis.url, timeout: 500 });
  await redis.kill();
  const result = await reader.verify();
  expect(result).toMatchObject({ checked: 0, ok: 0, error: expect.stringContaining('list records') });
});
