import { expect, test } from './fixtures.js';

const SECRET = 'status-secret-0123456789abcdef-0123456789';

test('should describe a Redis remote: reachable, signed, writable with a fleet lock, and no password in sight', async ({ startRedis, openAdmin }) => {
  const redis = await startRedis({ password: 'pw-never-printed' });
  const status = await openAdmin({ url: redis.url, secret: SECRET }).status();
  expect(status).toEqual({
    kind: 'redis', location: `redis://127.0.0.1:${redis.port}`, reachable: true, readOnly: false, signed: true,
    fleetLock: true, circuit: 'closed', uploadsStopped: undefined, error: undefined,
  });
  expect(JSON.stringify(status)).not.toContain('pw-never-printed');
  expect(JSON.stringify(status)).not.toContain(SECRET);
});

test('should describe a read-only HTTP remote, and an unreachable one with the reason', async ({ nginx, openAdmin }) => {
  const admin = openAdmin({ url: nginx.url, readOnly: true });
  expect(await admin.status()).toMatchObject({ kind: 'http', location: nginx.url, reachable: true, readOnly: true, signed: false, fleetLock: false });
  await nginx.stop();
  const down = await admin.status();
  expect(down).toMatchObject({ reachable: false, error: expect.stringContaining('ECONNREFUSED') });
});
