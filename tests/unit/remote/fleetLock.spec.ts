import { recordId } from '../../../src/remote/entryRecord.js';
import { bytes, entry, expect, FakeClock, test } from './fixtures.js';

test('should let only one machine hold a key\'s lock, and the next take it once released', async ({ redis, openTier }) => {
  const first = openTier(redis.url);
  const second = openTier(redis.url);
  const key = 'GET https://app.test/main.dart.js';
  const held = await first.tier.flight!.lock(key);
  expect(held.kind).toBe('acquired');
  expect(await second.tier.flight!.lock(key)).toEqual({ kind: 'busy' });
  expect(await first.tier.flight!.lock(key)).toEqual({ kind: 'busy' });
  if (held.kind === 'acquired')
    await held.lock.release();
  const next = await second.tier.flight!.lock(key);
  expect(next.kind).toBe('acquired');
  expect(await first.tier.flight!.lock('GET https://app.test/other.js')).toMatchObject({ kind: 'acquired' });
});

test('should keep a lock past its PX by renewing it while held, and let it lapse once the holder is gone', async ({ redis, openTier }) => {
  const admin = redis.client();
  // Short enough to outlive several times, long enough for a loaded CI machine's event loop.
  const ttlMs = 1500;
  const holder = openTier(redis.url, { lockTtlMs: ttlMs });
  const other = openTier(redis.url, { lockTtlMs: ttlMs });
  const key = 'GET https://app.test/main.dart.js';
  const held = await holder.tier.flight!.lock(key);
  if (held.kind !== 'acquired')
    throw new Error(`expected the lock, got ${held.kind}`);
  // Renewals come every ttl/3: four of them span more than a whole PX.
  await expect.poll(() => held.lock.renewals, { intervals: [100], timeout: 10_000 }).toBeGreaterThanOrEqual(4);
  expect(held.lock.held).toBe(true);
  expect(await other.tier.flight!.lock(key)).toEqual({ kind: 'busy' });
  expect(await admin.pttl(`bundle-cache:lock:${recordId(key)}`)).toBeGreaterThan(0);

  await held.lock.release();
  expect(held.lock.held).toBe(false);

  // A holder that died (SET NX PX, then no renewal): its lock lapses by itself.
  await admin.set(`bundle-cache:lock:${recordId(key)}`, 'a-dead-holder', 'PX', ttlMs);
  expect(await other.tier.flight!.lock(key)).toEqual({ kind: 'busy' });
  await expect.poll(async () => (await other.tier.flight!.lock(key)).kind, { intervals: [100], timeout: 10_000 }).toBe('acquired');
});

test('should never release another holder\'s lock (compare-and-delete), and notice its own was lost', async ({ redis, openTier }) => {
  const admin = redis.client();
  const slow = openTier(redis.url, { lockTtlMs: 60_000 });
  const key = 'GET https://app.test/main.dart.js';
  const lockKey = `bundle-cache:lock:${recordId(key)}`;
  const held = await slow.tier.flight!.lock(key);
  if (held.kind !== 'acquired')
    throw new Error(`expected the lock, got ${held.kind}`);
  // Its lock expired (a long GC pause) and another machine took it.
  await admin.set(lockKey, 'the-other-machine', 'PX', 60_000);
  await held.lock.release();
  expect(await admin.get(lockKey)).toBe('the-other-machine');

  const renewing = openTier(redis.url, { lockTtlMs: 300 });
  const second = await renewing.tier.flight!.lock('GET https://app.test/other.js');
  if (second.kind !== 'acquired')
    throw new Error(`expected the lock, got ${second.kind}`);
  await admin.set(`bundle-cache:lock:${recordId('GET https://app.test/other.js')}`, 'the-other-machine', 'PX', 60_000);
  await expect.poll(() => second.lock.held, { intervals: [50] }).toBe(false);
  expect(await admin.get(`bundle-cache:lock:${recordId('GET https://app.test/other.js')}`)).toBe('the-other-machine');
});

test('should keep a waiter waiting until the holder has published and let go, then let it find the record', async ({ redis, openTier }) => {
  const admin = redis.client();
  const holder = openTier(redis.url);
  const waiter = openTier(redis.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(6_000_000));
  const held = await holder.tier.flight!.lock(meta.key);
  if (held.kind !== 'acquired')
    throw new Error(`expected the lock, got ${held.kind}`);
  expect(await waiter.tier.flight!.lock(meta.key)).toEqual({ kind: 'busy' });
  let waited = false;
  const waiting = waiter.tier.flight!.wait(meta.key, 30_000).then(free => {
    waited = true;
    return free;
  });
  expect(await holder.tier.publish(meta, body)).toMatchObject({ kind: 'uploaded' });
  expect(waited).toBe(false);
  await held.lock.release();
  expect(await waiting).toBe(true);
  expect((await waiter.tier.lookup(meta.key))?.body.equals(body)).toBe(true);
  expect(waiter.tier.stats()).toMatchObject({ fleetWaits: 1, fleetWaitHits: 1, remoteHits: 1 });
  expect(await admin.exists(`bundle-cache:lock:${recordId(meta.key)}`)).toBe(0);
});

test('should stop waiting at the deadline, sleeping with jittered backoff and never past it', async ({ redis, openTier }) => {
  const clock = new FakeClock();
  const holder = openTier(redis.url);
  const waiter = openTier(redis.url, { now: clock.now, sleep: clock.sleep, random: () => 0.99 });
  const key = 'GET https://app.test/main.dart.js';
  expect((await holder.tier.flight!.lock(key)).kind).toBe('acquired');
  const start = clock.ms;
  expect(await waiter.tier.flight!.wait(key, 5_000)).toBe(false);
  expect(clock.ms - start).toBe(5_000);
  expect(clock.slept.reduce((sum, ms) => sum + ms, 0)).toBe(5_000);
  expect(clock.slept.slice(0, 4)).toEqual([75, 112, 168, 251]);
  expect(Math.max(...clock.slept)).toBeLessThanOrEqual(1_490);
  expect(waiter.tier.stats()).toMatchObject({ fleetWaits: 1, fleetWaitHits: 0 });
});

test('should stop waiting as soon as the lock goes away, so the caller looks again', async ({ redis, openTier }) => {
  const clock = new FakeClock();
  const holder = openTier(redis.url);
  const waiter = openTier(redis.url, { now: clock.now, sleep: clock.sleep, random: () => 0.5 });
  const key = 'GET https://app.test/main.dart.js';
  const held = await holder.tier.flight!.lock(key);
  if (held.kind === 'acquired')
    await held.lock.release();
  expect(await waiter.tier.flight!.wait(key, 60_000)).toBe(true);
  expect(clock.slept).toEqual([50]);
});

test('should say that HTTP stores have no fleet lock', async ({ nginx, openTier, openAdmin }) => {
  const { tier } = openTier(nginx.url);
  expect(tier.flight).toBeUndefined();
  expect((await openAdmin(nginx.url).status()).fleetLock).toBe(false);
});
