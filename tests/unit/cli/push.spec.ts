import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BundleCacheError } from '../../../src/errors.js';
import { resolveRemote } from '../../../src/options/remoteOption.js';
import { recordId } from '../../../src/remote/entryRecord.js';
import { RemoteTier } from '../../../src/remote/remoteTier.js';
import type { HealthyCache } from './fixtures/cache.js';
import { runCli } from './fixtures/runCli.js';
import { expect, test } from './fixtures/remotes.js';

const SECRET = 'push-secret-0123456789abcdef-0123456789';

/** The healthy cache's entries that have not expired: what a push uploads. */
function live(cache: HealthyCache) {
  return [cache.canvaskitJs, cache.wasm, cache.main, cache.font];
}

async function withTier<T>(url: string, env: NodeJS.ProcessEnv, work: (tier: RemoteTier, problems: BundleCacheError[]) => Promise<T>): Promise<T> {
  const problems: BundleCacheError[] = [];
  const tier = RemoteTier.open(resolveRemote(url, env)!, { report: error => problems.push(error) });
  try {
    return await work(tier, problems);
  } finally {
    await tier.close(0);
  }
}

test('should upload every live entry to Redis, body once, so another machine finds each byte for byte', async ({ dir, now, healthy, redis }) => {
  const first = await runCli(['push', '--dir', dir, '--remote', redis.url], { now });
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  expect(first.stdout).toContain(`remote ${redis.url} (unsigned)\n`);
  expect(first.stdout).toMatch(/app\.example\.com\/canvaskit\/canvaskit\.wasm +pushed +1\.4 MB\n/);
  expect(first.stdout).toMatch(/cdn\.example\.com\/assets\/vendor\.3f9a1c2b\.js +skipped +19\.5 KB +expired\n/);
  expect(first.stdout).toContain('pushed 4 (1.9 MB sent), record only 0, skipped 1, failed 0\n');

  const again = await runCli(['push', '--dir', dir, '--remote', redis.url, '--json'], { now });
  expect(again.code).toBe(0);
  const result = again.json();
  expect(result).toMatchObject({
    command: 'push', dir,
    remote: { kind: 'redis', location: redis.url, readOnly: false, signed: false },
    summary: { pushed: 0, bytesSent: 0, present: 4, skipped: 1, failed: 0 },
    problems: [],
  });
  expect(result.items).toContainEqual({ url: healthy.wasm.url, size: 1_500_000, outcome: 'present', reason: 'body already there: record written' });

  await withTier(redis.url, {}, async (tier, problems) => {
    for (const entry of live(healthy))
      expect((await tier.lookup(entry.key))?.body.equals(entry.body)).toBe(true);
    expect(await tier.lookup(healthy.old.key)).toBeUndefined();
    expect(problems).toEqual([]);
  });
});

test('should take the remote and its secret from the environment, and sign every record it writes', async ({ dir, now, healthy, startNginx }) => {
  const nginx = await startNginx();
  const env = { BUNDLE_CACHE_REMOTE: nginx.url, BUNDLE_CACHE_REMOTE_SECRET: SECRET };
  const run = await runCli(['push', '--dir', dir], { now, env });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`remote ${nginx.url} (signed)\n`);
  const record = JSON.parse(await readFile(path.join(nginx.storage, 'ac', recordId(healthy.main.key)), 'utf8'));
  expect(record.signature).toMatch(/^hmac-sha256:/);
  await withTier(nginx.url, { BUNDLE_CACHE_REMOTE_SECRET: SECRET }, async (tier, problems) => {
    expect((await tier.lookup(healthy.main.key))?.body.equals(healthy.main.body)).toBe(true);
    expect(problems).toEqual([]);
  });
});

test('should report a refused upload once with the fix, stop uploading, and exit 1', async ({ dir, now, healthy, startNginx }) => {
  // nginx's default body limit is 1 MB: the 1.4 MB wasm gets a 413.
  const nginx = await startNginx({});
  const run = await runCli(['push', '--dir', dir, '--remote', nginx.url, '--json'], { now });
  expect(run.code).toBe(1);
  const result = run.json();
  expect(result.problems).toHaveLength(1);
  expect(result.problems[0].code).toBe('ERR_REMOTE_WRITE_REFUSED');
  expect(result.problems[0].message).toContain('client_max_body_size');
  const wasm = result.items.find((item: { url: string }) => item.url === healthy.wasm.url);
  expect(wasm).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('the server answered 413 to a PUT of 1500000 bytes') });
  const text = await runCli(['push', '--dir', dir, '--remote', nginx.url], { now });
  expect(text.code).toBe(1);
  expect(text.stdout).toContain('ERR_REMOTE_WRITE_REFUSED: Remote ');
  expect(text.stdout).toMatch(/failed [1-9]\n$/);
});

test('should not push a corrupt local entry, and point at verify --fix', async ({ dir, now, damaged, redis }) => {
  const run = await runCli(['push', '--dir', dir, '--remote', redis.url, '--json'], { now });
  expect(run.code).toBe(1);
  const failed = run.json().items.filter((item: { outcome: string }) => item.outcome === 'failed');
  expect(failed.map((item: { url: string }) => item.url).sort()).toEqual([damaged.canvaskitJs.url, damaged.font.url].sort());
  for (const item of failed)
    expect(item.reason).toContain('`bundle-cache verify --fix` removes it');
  await withTier(redis.url, {}, async tier => {
    expect(await tier.lookup(damaged.canvaskitJs.key)).toBeUndefined();
    expect((await tier.lookup(damaged.wasm.key))?.body.equals(damaged.wasm.body)).toBe(true);
  });
});

test('should fail every upload to a remote that is down, by its deadline, and exit 1', async ({ dir, now, healthy }) => {
  expect(healthy.main.url).toContain('main.dart.js');
  const run = await runCli(['push', '--dir', dir, '--remote', 'redis://127.0.0.1:1', '--json'], { now });
  expect(run.code).toBe(1);
  const result = run.json();
  expect(result.summary).toMatchObject({ pushed: 0, present: 0, failed: 4, skipped: 1 });
  expect(result.problems.map((problem: { code: string }) => problem.code)).toContain('ERR_REMOTE_UNAVAILABLE');
});

test('should refuse to run without a remote, with a bad one, or on a read-only machine, as bad usage', async ({ dir, now }) => {
  const none = await runCli(['push', '--dir', dir], { now });
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('bundle-cache push: no remote to push to: give --remote <url> (redis://host:6379, rediss://host:6380 or http(s)://host/prefix/) or set BUNDLE_CACHE_REMOTE\n');
  expect(none.stderr).toContain('Usage: bundle-cache push [--remote <url>] [--prefix <prefix>]');
  const bad = await runCli(['push', '--dir', dir, '--remote', 'ftp://user:hunter2@cache/'], { now });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--remote: unknown scheme "ftp:"');
  expect(bad.stderr).not.toContain('hunter2');
  const readOnly = await runCli(['push', '--dir', dir], { now, env: { BUNDLE_CACHE_REMOTE: 'redis://127.0.0.1:1', BUNDLE_CACHE_REMOTE_READONLY: '1' } });
  expect(readOnly.code).toBe(2);
  expect(readOnly.stderr).toContain('is read-only here (BUNDLE_CACHE_REMOTE_READONLY), and push writes to it. Fix: unset BUNDLE_CACHE_REMOTE_READONLY on the machine that pushes');
  const prefix = await runCli(['push', '--dir', dir, '--remote', 'http://127.0.0.1:1/cache/', '--prefix', 'x:'], { now });
  expect(prefix.code).toBe(2);
  expect(prefix.stderr).toContain('--prefix applies to Redis only');
  const short = await runCli(['push', '--dir', dir, '--remote', 'redis://127.0.0.1:1'], { now, env: { BUNDLE_CACHE_REMOTE_SECRET: 'short' } });
  expect(short.code).toBe(2);
  expect(short.stderr).toContain('BUNDLE_CACHE_REMOTE_SECRET is 5 characters long; a secret must be at least 32');
});
