import { EntryStore } from '../../../../src/disk/entryStore.js';
import { nodeStoreFs } from '../../../../src/disk/storeFs.js';
import { cacheKey, normalizeUrl } from '../../../../src/keys/normalizeUrl.js';
import { recordId } from '../../../../src/remote/entryRecord.js';
import type { Site } from '../../../site/server.js';
import { closeAfterUploads, expect, test } from './fixtures.js';

// The site's clock, ahead of or behind real time: Date and Expires of its responses.
let skewMs = 0;
test.use({ siteOptions: { layout: 'flutter', profile: 'github-pages', clock: () => Date.now() + skewMs } });

function bundleUrls(site: Site): string[] {
  return [`${site.origin}/main.dart.js`, `${site.cdn.canvaskitBaseUrl}canvaskit.js`, `${site.cdn.canvaskitBaseUrl}canvaskit.wasm`];
}

test('should check a revalidated entry found on the remote with the origin in mode \'run\', and keep the 304\'s headers on the local disk and the remote record', async ({ site, redisRemote, sharedRedis, startMachine }) => {
  const mainUrl = `${site.origin}/main.dart.js`;
  const mainKey = cacheKey('GET', normalizeUrl(mainUrl));
  const remoteRecord = async () => JSON.parse((await sharedRedis.client().getBuffer(`${redisRemote.prefix}ac:${recordId(mainKey)}`))!.toString());
  // Build 1 on the remote; then the site's clock runs an hour ahead, so its 304 carries other times than the record.
  skewMs = 0;
  const seeder = await startMachine({ remote: redisRemote });
  for (const url of bundleUrls(site))
    expect((await seeder.cache.warm(url)).outcome).toBe('stored');
  await closeAfterUploads(seeder, 3);
  skewMs = 3_600_000;
  site.resetCounters();

  // main.dart.js (max-age=600, an ETag) is revalidated: mode 'run' checks it at its first use, and the origin says 304.
  const machine = await startMachine({ remote: redisRemote });
  const results = [];
  for (const url of bundleUrls(site))
    results.push(await machine.cache.warm(url));
  expect(results.map(result => [result.outcome, result.revalidated ?? false])).toEqual([['fresh', true], ['fresh', false], ['fresh', false]]);
  expect(site.responses('/main.dart.js')).toEqual({ 304: 1 });
  expect(site.cdn.totalHits()).toBe(0);
  // The 304 was written back to the remote record beside the disk: an upload, then close.
  await closeAfterUploads(machine, 1);

  // The remote body, with the 304's freshness, is on this machine's disk; the remote record carries the check too, so other machines see it.
  const local = await new EntryStore(machine.dir, nodeStoreFs).read(mainKey, normalizeUrl(mainUrl));
  if (local.kind !== 'found')
    throw new Error(`main.dart.js is not on the machine's disk: ${local.kind}`);
  expect(local.response.body.equals(site.body('/main.dart.js'))).toBe(true);
  const record = await remoteRecord();
  expect(local.response.meta.freshness).toMatchObject({ kind: 'revalidated', revalidations: 1 });
  expect(record.meta.freshness).toEqual(local.response.meta.freshness);
  expect(record.meta.sha256).toBe(local.response.meta.sha256);
  // The 304's headers (from the origin's clock, an hour ahead) replaced the stored ones.
  const date = (freshness: { headers: Record<string, string> }) => Date.parse(freshness.headers.date!);
  expect(date(local.response.meta.freshness!) - Date.now()).toBeGreaterThan(3_000_000);
  expect(Date.parse(local.response.meta.freshness!.freshUntil)).toBeGreaterThan(Date.now());

  // A deploy: the next new machine finds build 1 on the remote, asks the origin, and gets build 2 whole.
  site.deploy();
  site.resetCounters();
  const after = await startMachine({ remote: redisRemote });
  expect((await after.cache.warm(mainUrl)).outcome).toBe('stored');
  expect(site.responses('/main.dart.js')).toEqual({ 200: 1 });
  await closeAfterUploads(after, 1);
  expect((await remoteRecord()).meta.sha256).toBe(site.sha256('/main.dart.js', 2));
  const replaced = await new EntryStore(after.dir, nodeStoreFs).read(mainKey, normalizeUrl(mainUrl));
  expect(replaced.kind === 'found' && replaced.response.body.equals(site.body('/main.dart.js', 2))).toBe(true);
});
