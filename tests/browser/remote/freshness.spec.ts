import { EntryStore } from '../../../src/disk/entryStore.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { cacheKey, normalizeUrl } from '../../../src/keys/normalizeUrl.js';
import { recordId } from '../../../src/remote/entryRecord.js';
import type { FlutterReport, Site } from '../../site/server.js';
import { expect, test } from './fixtures.js';
import { sources, type Loaded } from './machines.js';

// The site's clock, ahead of or behind real time: Date and Expires of its responses.
let skewMs = 0;
test.use({ siteOptions: { layout: 'flutter', profile: 'github-pages', clock: () => Date.now() + skewMs } });

function bundleUrls(site: Site): string[] {
  return [`${site.origin}/main.dart.js`, `${site.cdn.canvaskitBaseUrl}canvaskit.js`, `${site.cdn.canvaskitBaseUrl}canvaskit.wasm`];
}

/** The announced build ran, with exactly its bytes (hashed in the page) and CanvasKit from the CDN. */
function expectBuildRan({ report }: Loaded, site: Site): void {
  const flutter = report as FlutterReport;
  expect(flutter.error).toBeNull();
  expect(flutter.main).toEqual({ loaded: true, threw: null, build: site.version, matched: true });
  expect(flutter.canvaskit).toEqual({ drew: true, pixel: [255, 0, 0, 255], baseUrl: site.cdn.canvaskitBaseUrl });
  const cdnPath = (file: string) => new URL(site.cdn.canvaskitBaseUrl + file).pathname;
  expect(flutter.hashes).toEqual({
    '/main.dart.js': site.sha256('/main.dart.js'),
    [`${site.cdn.canvaskitBaseUrl}canvaskit.js`]: site.cdn.sha256(cdnPath('canvaskit.js')),
    [`${site.cdn.canvaskitBaseUrl}canvaskit.wasm`]: site.cdn.sha256(cdnPath('canvaskit.wasm')),
  });
}

test('should check a revalidated entry found on the remote with the origin in mode \'run\', and keep the 304\'s headers on the local disk and the remote record', async ({ site, redisRemote, sharedRedis, openCache, startMachine }) => {
  test.setTimeout(180_000);
  const pageUrl = `${site.pageUrl}?hash=1`;
  const mainKey = cacheKey('GET', normalizeUrl(`${site.origin}/main.dart.js`));
  // Build 1 on the remote; then the site's clock runs an hour ahead, so its 304 carries other times than the record.
  skewMs = 0;
  const seeder = await openCache({ remote: redisRemote });
  for (const url of bundleUrls(site))
    expect((await seeder.warm(url)).outcome).toBe('stored');
  await seeder.close();
  skewMs = 3_600_000;
  site.resetCounters();

  // main.dart.js (max-age=600, an ETag) is revalidated: mode 'run' checks it at its first use, and the origin says 304.
  const machine = await startMachine({ remote: redisRemote });
  const loaded = await machine.load(pageUrl);
  expectBuildRan(loaded, site);
  expect(sources(loaded.served)).toEqual({ '/main.dart.js': 'remote', ...cdnSources(site, 'remote') });
  expect(loaded.served.find(event => event.url.endsWith('/main.dart.js'))).toMatchObject({ source: 'remote', revalidated: true });
  expect(site.responses('/main.dart.js')).toEqual({ 304: 1 });
  expect(site.cdn.totalHits()).toBe(0);
  await machine.close();

  // The remote body, with the 304's freshness, is on this machine's disk; the remote record carries the check too, so other machines see it.
  const local = await new EntryStore(machine.dir, nodeStoreFs).read(mainKey, normalizeUrl(`${site.origin}/main.dart.js`));
  if (local.kind !== 'found')
    throw new Error(`main.dart.js is not on the machine's disk: ${local.kind}`);
  expect(local.response.body.equals(site.body('/main.dart.js'))).toBe(true);
  const record = JSON.parse((await sharedRedis.client().getBuffer(`${redisRemote.prefix}ac:${recordId(mainKey)}`))!.toString());
  expect(local.response.meta.freshness).toMatchObject({ kind: 'revalidated', revalidations: 1 });
  expect(record.meta.freshness).toEqual(local.response.meta.freshness);
  expect(record.meta.sha256).toBe(local.response.meta.sha256);
  // The 304's headers (from the origin's clock, an hour ahead) replaced the stored ones.
  const date = (freshness: { headers: Record<string, string> }) => Date.parse(freshness.headers.date!);
  expect(date(local.response.meta.freshness!) - Date.now()).toBeGreaterThan(3_000_000);
  expect(Date.parse(local.response.meta.freshness!.freshUntil)).toBeGreaterThan(Date.now());

  // A deploy: a new machine, whose run begins after the first one's check, finds build 1 on the remote, asks the
  // origin, and gets build 2 whole. (A machine whose run began before that check would borrow it: see
  // docs/freshness.md, "What a run is".)
  site.deploy();
  site.resetCounters();
  const after = await startMachine({ remote: redisRemote });
  const deployed = await after.load(pageUrl);
  expectBuildRan(deployed, site);
  expect(sources(deployed.served)['/main.dart.js']).toBe('network');
  expect(site.responses('/main.dart.js')).toEqual({ 200: 1 });
  await after.close();
  const replaced = JSON.parse((await sharedRedis.client().getBuffer(`${redisRemote.prefix}ac:${recordId(mainKey)}`))!.toString());
  expect(replaced.meta.sha256).toBe(site.sha256('/main.dart.js', 2));
});

function cdnSources(site: Site, source: string): Record<string, string> {
  const base = new URL(site.cdn.canvaskitBaseUrl).pathname;
  return { [`${base}canvaskit.js`]: source, [`${base}canvaskit.wasm`]: source };
}
