import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { FORMAT_VERSION, type EntryMeta } from '../../../src/core/meta.js';
import { resolveRemote } from '../../../src/options/remoteOption.js';
import { recordId } from '../../../src/remote/entryRecord.js';
import { RemoteTier } from '../../../src/remote/remoteTier.js';
import { bytes } from './fixtures/cache.js';
import { runCli } from './fixtures/runCli.js';
import { expect, test } from './fixtures/remotes.js';

const SECRET = 'verify-secret-0123456789abcdef-0123456789';

function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

async function scan(client: Redis): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys.sort();
}

test('should check every record on Redis, list what is wrong, change nothing, and exit 1', async ({ dir, now, healthy, redis }) => {
  const env = { BUNDLE_CACHE_REMOTE: redis.url, BUNDLE_CACHE_REMOTE_SECRET: SECRET };
  expect((await runCli(['push', '--dir', dir], { now, env })).code).toBe(0);
  const clean = await runCli(['remote', 'verify', '--dir', dir], { now, env });
  expect(clean.stderr).toBe('');
  expect(clean.code).toBe(0);
  expect(clean.stdout).toBe(`remote ${redis.url} (signed)\nchecked 4 records (1.9 MB of bodies), all records: record, key, signature, size and sha256\nno problems found, 4 ok\n`);

  // Someone without the secret writes a record; garbage lands in another; one byte of the wasm changes.
  const url = 'https://app.example.com/extra.js';
  const body = bytes(10_000, 'extra');
  const intruder = RemoteTier.open(resolveRemote(redis.url, {})!, { report: () => {} });
  const meta: EntryMeta = {
    formatVersion: FORMAT_VERSION, key: `GET ${url}`, url, method: 'GET', resource: url, version: null, status: 200, headers: {},
    size: body.length, sha256: sha256(body),
    storedAt: new Date(now).toISOString(), expiresAt: new Date(now + 3_600_000).toISOString(), rule: 'test',
  };
  expect(await intruder.publish(meta, body)).toMatchObject({ kind: 'uploaded' });
  await intruder.close(0);
  const admin = redis.client();
  await admin.set(`bundle-cache:ac:${'f'.repeat(64)}`, 'not a record');
  await admin.setrange(`bundle-cache:cas:${sha256(healthy.wasm.body)}:0`, 1000, 'X');
  const before = await scan(admin);

  const run = await runCli(['remote', 'verify', '--dir', dir, '--json'], { now, env });
  expect(run.code).toBe(1);
  const result = run.json();
  expect(result).toMatchObject({ command: 'remote', subcommand: 'verify', scope: 'listed', checked: 6, ok: 3, missing: [], error: null, remote: { kind: 'redis', signed: true } });
  expect(result.problems.map((problem: { problem: string }) => problem.problem).sort()).toEqual(['corrupt-body', 'corrupt-record', 'untrusted']);
  expect(result.problems.find((problem: { problem: string }) => problem.problem === 'untrusted')).toMatchObject({ id: recordId(meta.key), url });
  expect(await scan(admin)).toEqual(before);

  const text = await runCli(['remote', 'verify', '--dir', dir], { now, env });
  expect(text.code).toBe(1);
  expect(text.stdout).toContain(`untrusted: ${url}: Remote ${redis.url} record for ${url} (${recordId(meta.key)}) has no signature`);
  expect(text.stdout).toContain(`corrupt body: ${healthy.wasm.url}: Remote ${redis.url} has a corrupt entry for ${healthy.wasm.url}`);
  expect(text.stdout).toContain('body sha256 is ');
  expect(text.stdout).toContain(`corrupt record: record ${'f'.repeat(64)}: `);
  expect(text.stdout).toContain('3 problems found, 3 ok; nothing was changed on the remote\n');
});

test('should check the records of the local cache\'s keys on an HTTP store, which cannot be listed', async ({ dir, now, healthy, startNginx }) => {
  const nginx = await startNginx();
  expect((await runCli(['push', '--dir', dir, '--remote', nginx.url], { now })).code).toBe(0);
  await rm(path.join(nginx.storage, 'ac', recordId(healthy.font.key)));
  const missing = await runCli(['remote', 'verify', '--dir', dir, '--remote', nginx.url], { now });
  expect(missing.code).toBe(0);
  expect(missing.stdout).toBe([
    `remote ${nginx.url} (unsigned)`,
    'checked 5 records (1.8 MB of bodies), all records of the local cache\'s entries: record, key, size and sha256 (no secret: signatures not checked)',
    'not there: 2 local entries with no record on the remote (`bundle-cache push` uploads them)',
    'no problems found, 3 ok',
    '',
  ].join('\n'));

  const file = path.join(nginx.storage, 'cas', sha256(healthy.main.body));
  const body = await readFile(file);
  body[0] = body[0]! ^ 0xff;
  await writeFile(file, body);
  const run = await runCli(['remote', 'verify', '--dir', dir, '--remote', nginx.url, '--json'], { now });
  expect(run.code).toBe(1);
  expect(run.json()).toMatchObject({ scope: 'given', checked: 5, ok: 2, problems: [{ problem: 'corrupt-body', key: healthy.main.key }] });
  expect(run.json().missing.map((problem: { key: string }) => problem.key).sort()).toEqual([healthy.font.key, healthy.old.key].sort());
});

test('should say why it could not verify a remote that is down, and exit 1', async ({ dir, now }) => {
  const run = await runCli(['remote', 'verify', '--dir', dir, '--remote', 'redis://127.0.0.1:1'], { now });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('could not verify: Remote redis://127.0.0.1:1 failed to list records (SCAN): ');
  expect(run.stdout).toContain('ECONNREFUSED');
});

test('should want the verify subcommand, and suggest it for a typo', async ({ dir }) => {
  const none = await runCli(['remote', '--dir', dir]);
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('bundle-cache remote: remote needs a subcommand: verify\nUsage: bundle-cache remote verify [--remote <url>] [--prefix <prefix>] [--dir <path>] [--json]\n');
  const typo = await runCli(['remote', 'verfy', '--dir', dir]);
  expect(typo.code).toBe(2);
  expect(typo.stderr).toContain('unknown remote subcommand "verfy"; did you mean "verify"?');
  const extra = await runCli(['remote', 'verify', 'now', '--dir', dir]);
  expect(extra.code).toBe(2);
  expect(extra.stderr).toContain('unexpected argument "now"');
});
