import { BundleCache } from '../../../src/index.js';
import { EntryStore } from '../../../src/disk/entryStore.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import type { CacheRequest } from '../../../src/core/request.js';
import { cacheKey, normalizeUrl } from '../../../src/keys/normalizeUrl.js';
import { recordId } from '../../../src/remote/entryRecord.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { startSite } from '../../site/server.js';
import { bytes, entry, expect, test } from './fixtures.js';

function requestFor(key: string, url: string): CacheRequest {
  return { key, url, rule: { name: 'test', maxAgeMs: 3_600_000, revalidate: 'run' }, requestHeaders: {}, wantsFresh: false, arrivedAt: Date.now() };
}

test('should take the record another machine published between this one\'s lookup and its lock, instead of fetching again', async ({ redis, openTier }) => {
  const admin = redis.client();
  const early = openTier(redis.url);
  const late = openTier(redis.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(300_000));
  // The late machine looked and missed; the early one then fetched, published and let go of its lock.
  expect(await late.tier.lookup(meta.key)).toBeUndefined();
  expect(await early.tier.publish(meta, body)).toMatchObject({ kind: 'uploaded' });
  // The resolver claims the fleet flight, then looks in the remote again.
  const request = requestFor(meta.key, meta.url);
  const claim = await late.tier.flight!.claim(request);
  expect(claim.kind).toBe('lead');
  expect((await late.tier.get(request))?.body.equals(body)).toBe(true);
  // The lock it took to find out is not left behind for others to wait on.
  if (claim.kind === 'lead')
    await claim.release();
  expect(await admin.exists(`bundle-cache:lock:${recordId(meta.key)}`)).toBe(0);
});

test('should report an unusable record once: by the lookup, not again by the look after the lock', async ({ redis, openTier }) => {
  const unsigned = openTier(redis.url);
  const { meta, body } = entry('https://app.test/main.dart.js', bytes(300_000));
  expect(await unsigned.tier.publish(meta, body)).toMatchObject({ kind: 'uploaded' });
  const signed = openTier({ url: redis.url, secret: 'single-flight-secret-0123456789abcdef' });
  expect(await signed.tier.lookup(meta.key)).toBeUndefined();
  const request = requestFor(meta.key, meta.url);
  expect((await signed.tier.flight!.claim(request)).kind).toBe('lead');
  expect(await signed.tier.get(request)).toBeUndefined();
  expect(signed.problems.map(problem => problem.code)).toEqual(['ERR_REMOTE_UNTRUSTED']);
  expect(signed.tier.stats()).toMatchObject({ remoteErrors: 1, remoteMisses: 2 });
});

test('should fetch, holding the fleet lock, when nobody published the key', async ({ redis, openTier }) => {
  const admin = redis.client();
  const { tier } = openTier(redis.url);
  const key = 'GET https://app.test/canvaskit.wasm';
  const claim = await tier.flight!.claim(requestFor(key, 'https://app.test/canvaskit.wasm'));
  expect(claim.kind).toBe('lead');
  expect(await admin.exists(`bundle-cache:lock:${recordId(key)}`)).toBe(1);
});

test('should check a revalidated entry another machine published while this one waited with the origin (a 304), not fetch it whole', async ({ redis, openTier }) => {
  await using site = await startSite({ layout: 'flutter', profile: 'netlify' });
  const dirs = [await makeTempDir('bundle-cache-fetcher-'), await makeTempDir('bundle-cache-waiter-')];
  try {
    const url = `${site.origin}/main.dart.js`;
    const key = cacheKey('GET', normalizeUrl(url));
    // The machine holding the fleet lock: it fetches and stores, and publishes once the waiter waits.
    const fetcher = await BundleCache.open({ dir: dirs[0], remote: false });
    expect((await fetcher.warm(url)).outcome).toBe('stored');
    await fetcher.close();
    const stored = await new EntryStore(dirs[0]!, nodeStoreFs).read(key, normalizeUrl(url));
    if (stored.kind !== 'found')
      throw new Error(`expected the fetcher's entry, got ${stored.kind}`);
    const admin = redis.client();
    await admin.set(`bundle-cache:lock:${recordId(key)}`, 'the-fetcher', 'PX', 60_000);

    const waiter = await BundleCache.open({ dir: dirs[1], remote: redis.url });
    const warming = waiter.warm(url);
    // The waiter polls: a GET of the record, then an EXISTS of the lock, after each pause.
    await expect.poll(async () => /cmdstat_exists:calls=[1-9]/.test(await admin.info('commandstats'))).toBe(true);
    expect(await openTier(redis.url).tier.publish(stored.response.meta, stored.response.body)).toMatchObject({ kind: 'uploaded' });
    await admin.del(`bundle-cache:lock:${recordId(key)}`);
    // 'must-revalidate' and mode 'run': the origin is asked, and its 304 costs no body.
    expect(await warming).toMatchObject({ outcome: 'fresh', revalidated: true });
    expect(site.responses('/main.dart.js')).toEqual({ 200: 1, 304: 1 });
    await waiter.close();
    expect(waiter.stats()).toMatchObject({ revalidations: 1, revalidated: 1, remoteErrors: 0 });
    const local = await new EntryStore(dirs[1]!, nodeStoreFs).read(key, normalizeUrl(url));
    expect(local.kind === 'found' && local.response.body.equals(site.body('/main.dart.js'))).toBe(true);
  } finally {
    await Promise.all(dirs.map(removeDir));
  }
});
