import { RedisServer } from '../../helpers/redisServer.js';
import { runCli } from './fixtures/runCli.js';
import { expect, test } from './fixtures/remotes.js';

const SECRET = 'status-secret-0123456789abcdef-0123456789';

test('should show a configured Redis remote: reachable, writable, signed, with a fleet lock, and never its password', async ({ dir, now, healthy }) => {
  await using redis = await RedisServer.start({ password: 'pw-never-printed' });
  const env = { BUNDLE_CACHE_REMOTE: redis.url, BUNDLE_CACHE_REMOTE_SECRET: SECRET };
  const run = await runCli(['status', '--dir', dir], { now, env });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`remote      redis://127.0.0.1:${redis.port}: reachable, writable, signed, fleet lock\n`);
  const json = await runCli(['status', '--dir', dir, '--json'], { now, env });
  expect(json.json().remote).toEqual({
    kind: 'redis', location: `redis://127.0.0.1:${redis.port}`, reachable: true, readOnly: false, signed: true, fleetLock: true, circuit: 'closed',
  });
  for (const output of [run.stdout, json.stdout]) {
    expect(output).not.toContain('pw-never-printed');
    expect(output).not.toContain(SECRET);
  }
  expect(run.stdout).toContain(healthy.main.url.replace('https://', ''));
});

test('should show a read-only HTTP remote without a secret, and no remote line when none is configured', async ({ dir, now, healthy, startNginx }) => {
  const nginx = await startNginx();
  const run = await runCli(['status', '--dir', dir], { now, env: { BUNDLE_CACHE_REMOTE: nginx.url, BUNDLE_CACHE_REMOTE_READONLY: '1' } });
  expect(run.stdout).toContain(`remote      ${nginx.url}: reachable, read-only, unsigned (no secret), no fleet lock (HTTP: one fetch per machine)\n`);
  const none = await runCli(['status', '--dir', dir, '--json'], { now });
  expect(none.json().remote).toBeNull();
  expect((await runCli(['status', '--dir', dir], { now })).stdout).not.toContain('remote');
  expect(run.stdout).toContain(healthy.font.url.replace('https://', ''));
});

test('should say why a configured remote is unreachable, and still report the local cache with exit 0', async ({ dir, now, healthy }) => {
  const run = await runCli(['status', '--dir', dir], { now, env: { BUNDLE_CACHE_REMOTE: 'redis://127.0.0.1:1', BUNDLE_CACHE_REMOTE_READONLY: 'true' } });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain('remote      redis://127.0.0.1:1: unreachable, read-only, unsigned (no secret), no fleet lock of its own (read-only: waits for the writers\' records)\n');
  expect(run.stdout).toMatch(/\n {12}Remote redis:\/\/127\.0\.0\.1:1 failed to answer PING: .*ECONNREFUSED.*\. Fix: check that the server is up/);
  expect(run.stdout).toContain('entries     5 (fresh 4, expired 1, corrupt 0)\n');
  expect(run.stdout).toContain(healthy.wasm.url.replace('https://', ''));
});
