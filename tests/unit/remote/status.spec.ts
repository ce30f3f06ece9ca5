import { expect, test } from './fixtures.js';

const SECRET = 'status-secret-0123456789abcdef-0123456789';

test('should describe a Redis remote: reachable, signed, writable with a fleet lock, and no password in sight', async ({ startRedis, openTier }) => {
  const redis = await startRedis({ password: 'pw-never-printed' });
  const { tier } = openTier({ url: redis.url, secret: SECRET });
  const status = await tier.status();
  expect(status).toEqual({
    kind: 'redis', location: `redis://127.0.0.1:${redis.port}`, reachable: true, readOnly: false, signed: true,
    fleetLock: true, circuit: 'closed', uploadsStopped: undefined, error: undefined,
  });
  expect(JSON.stringify(status)).not.toContain('pw-never-printed');
  expect(JSON.stringify(status)).not.toContain(SECRET);
});

test('should describe a read-only HTTP remote, and an unreachable one with the reason', async ({ nginx, openTier }) => {
  const { tier } = openTier({ url: nginx.url, readOnly: true });
  expect(await tier.status()).toMatchObject({ kind: 'http', location: nginx.url, reachable: true, readOnly: true, signed: false, fleetLock: false });
  await nginx.stop();
  const down = await tier.status();
  expect(down).toMatchObject({ reachable: false, error: expect.stringContaining('ECONNREFUSED') });
});
