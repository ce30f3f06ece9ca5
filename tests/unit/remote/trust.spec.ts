import { encodeRecord, recordId } from '../../../src/remote/entryRecord.js';
import { signRecord } from '../../../src/remote/signature.js';
import { bytes, codes, entry, expect, test } from './fixtures.js';

const SECRET = 'trusted-writers-only-0123456789abcdef';
const OTHER_SECRET = 'someone-else-entirely-0123456789abcdef';

test('should serve a record signed with the same secret', async ({ redis, openTier }) => {
  const writer = openTier({ url: redis.url, secret: SECRET });
  const reader = openTier({ url: redis.url, secret: SECRET });
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(10_000));
  await writer.tier.publish(meta, body);
  expect((await reader.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
  expect(reader.problems).toEqual([]);
  expect(reader.tier.signed).toBe(true);
});

test('should ignore unsigned and wrongly signed records when a secret is set, and report them', async ({ redis, openTier }) => {
  const unsignedWriter = openTier(redis.url);
  const otherWriter = openTier({ url: redis.url, secret: OTHER_SECRET });
  const reader = openTier({ url: redis.url, secret: SECRET });
  const unsigned = entry('https://app.test/unsigned.js', bytes(1000));
  const mis = entry('https://app.test/mis-signed.js', bytes(1000));
  await unsignedWriter.tier.publish(unsigned.meta, unsigned.body);
  await otherWriter.tier.publish(mis.meta, mis.body);

  expect(await reader.tier.lookup(unsigned.meta.key)).toBeUndefined();
  expect(await reader.tier.lookup(mis.meta.key)).toBeUndefined();
  expect(codes(reader.problems)).toEqual(['ERR_REMOTE_UNTRUSTED', 'ERR_REMOTE_UNTRUSTED']);
  expect(reader.problems.map(problem => problem.details.signature)).toEqual(['missing', 'wrong']);
  expect(reader.problems[0]!.message).toContain('unsigned.js');
  expect(reader.problems.map(problem => problem.message).join()).not.toContain(SECRET);
  expect(reader.tier.stats()).toMatchObject({ remoteHits: 0, remoteMisses: 2, remoteErrors: 2 });
  // A reader without a secret trusts the store's own access control, and takes both.
  const trusting = openTier(redis.url);
  expect(await trusting.tier.lookup(mis.meta.key)).toBeDefined();
});

test('should ignore a signed record whose meta was changed, and a signed record replayed under another key', async ({ redis, openTier }) => {
  const admin = redis.client();
  const writer = openTier({ url: redis.url, secret: SECRET });
  const reader = openTier({ url: redis.url, secret: SECRET });
  const genuine = entry('https://app.test/main.dart.js', bytes(1000));
  await writer.tier.publish(genuine.meta, genuine.body);

  // Keep the signature, change a header: a poisoner who can write to Redis but has no secret.
  const recordKey = `bundle-cache:ac:${recordId(genuine.meta.key)}`;
  const record = JSON.parse(await admin.get(recordKey) ?? 'null');
  record.meta.headers['content-type'] = 'text/html';
  await admin.set(recordKey, JSON.stringify(record));
  expect(await reader.tier.lookup(genuine.meta.key)).toBeUndefined();
  expect(codes(reader.problems)).toEqual(['ERR_REMOTE_UNTRUSTED']);

  // A valid signed record of one key, copied to the address of another.
  const victim = entry('https://app.test/canvaskit.wasm', bytes(1000));
  await admin.set(`bundle-cache:ac:${recordId(victim.meta.key)}`, encodeRecord(genuine.meta, undefined, SECRET));
  expect(signRecord(SECRET, genuine.meta)).toBe(JSON.parse((await admin.get(`bundle-cache:ac:${recordId(victim.meta.key)}`))!).signature);
  expect(await reader.tier.lookup(victim.meta.key)).toBeUndefined();
  expect(codes(reader.problems)).toEqual(['ERR_REMOTE_UNTRUSTED', 'ERR_REMOTE_CORRUPT']);
  expect(reader.problems[1]!.message).toContain('another key');
});

test('should report garbage in a record as corrupt, a miss', async ({ redis, openTier }) => {
  const admin = redis.client();
  const reader = openTier(redis.url);
  const { meta } = entry('https://app.test/main.dart.js', bytes(10));
  const key = `bundle-cache:ac:${recordId(meta.key)}`;
  for (const garbage of ['not json', '{"format":"bundle-cache-remote-record/1","meta":{"key":1}}', '{"format":"v9","meta":{}}', '[]']) {
    await admin.set(key, garbage);
    expect(await reader.tier.lookup(meta.key)).toBeUndefined();
  }
  expect(codes(reader.problems)).toEqual(Array(4).fill('ERR_REMOTE_CORRUPT'));
  expect(reader.problems[2]!.message).toContain('another release');
});
