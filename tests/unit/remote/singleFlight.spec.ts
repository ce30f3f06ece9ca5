import type { CacheRequest } from '../../../src/engine/parts.js';
import { recordId } from '../../../src/remote/record.js';
import { RemoteLevel } from '../../../src/remote/remoteLevel.js';
import { bytes, entry, expect, test } from './fixtures.js';

function requestFor(key: string, url: string): CacheRequest {
  return { key, url, rule: { name: 'test', test: () => true, maxAgeMs: 3_600_000, revalidate: 'run' }, requestHeaders: {}, wantsFresh: false, arrivedAt: Date.now() };
}

test('should take the record another machine published between this one\'s lookup and its lock, instead of fetching again', async ({ redis, openTier }) => {
  const admin = redis.client();
  const early = openTier(redis.url);
  const late = openTier(redis.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(300_000));
  // The late machine looked and missed; the early one then fetched, published and let go of its lock.
  expect(await late.tier.lookup(meta.key)).toBeUndefined();
  expect(await early.tier.publish(meta, body)).toMatchObject({ kind: 'uploaded' });
  const flight = await new RemoteLevel(late.tier).singleFlight(requestFor(meta.key, meta.url));
  expect(flight.kind).toBe('found');
  expect(flight.kind === 'found' && flight.response.body.equals(body)).toBe(true);
  // The lock it took to find out is not left behind for others to wait on.
  expect(await admin.exists(`bundle-cache:lock:${recordId(meta.key)}`)).toBe(0);
});

test('should fetch, holding the fleet lock, when nobody published the key', async ({ redis, openTier }) => {
  const admin = redis.client();
  const { tier } = openTier(redis.url);
  const key = 'GET https://app.test/canvaskit.wasm';
  const flight = await new RemoteLevel(tier).singleFlight(requestFor(key, 'https://app.test/canvaskit.wasm'));
  expect(flight.kind).toBe('fetch');
  expect(flight.kind === 'fetch' && flight.lock?.held).toBe(true);
  expect(await admin.exists(`bundle-cache:lock:${recordId(key)}`)).toBe(1);
});
