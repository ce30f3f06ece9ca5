import { test as base, expect } from '@playwright/test';
import { BundleCache } from '../../../src/index.js';
import { startSite, type Site } from '../../site/server.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { RedisServer } from '../../helpers/redisServer.js';
import { NginxServer } from '../../helpers/nginxServer.js';
import { EntryStore } from '../../../src/disk/entryStore.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { normalizeUrl } from '../../../src/keys/normalizeUrl.js';

const test = base.extend<{ site: Site; dirs: () => Promise<string> }>({
  site: async ({}, use) => {
    const site = await startSite();
    await use(site);
    await site.close();
  },
  dirs: async ({}, use) => {
    const made: string[] = [];
    await use(async () => {
      const dir = await makeTempDir('bundle-cache-machine-');
      made.push(dir);
      return dir;
    });
    await Promise.all(made.map(removeDir));
  },
});

const BUNDLES = ['/main.dart.js?v=1', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'];

for (const backend of ['redis', 'http'] as const) {
  test.describe(`behind disk, on ${backend}`, () => {
    let server: RedisServer | NginxServer;
    test.beforeAll(async () => {
      server = backend === 'redis' ? await RedisServer.start() : await NginxServer.start({ clientMaxBodySize: '64m' });
    });
    test.afterAll(async () => {
      await server.stop();
    });

    test('should serve a second machine from the remote tier, byte for byte, without asking the origin', async ({ site, dirs }) => {
      const first = await BundleCache.open({ dir: await dirs(), remote: server.url });
      for (const path of BUNDLES)
        expect((await first.warm(site.origin + path)).outcome).toBe('stored');
      await first.close();
      expect(first.stats()).toMatchObject({ uploads: 3, remoteErrors: 0 });
      site.resetCounters();

      const second = await BundleCache.open({ dir: await dirs(), remote: server.url });
      const served: string[] = [];
      second.on('problem', error => served.push(error.code));
      for (const path of BUNDLES)
        expect((await second.warm(site.origin + path)).outcome).toBe('fresh');
      expect(site.totalHits()).toBe(0);
      expect(served).toEqual([]);
      // Served at once, written to disk beside it: close() waits for that write.
      await second.close();
      const store = new EntryStore(second.dir, nodeStoreFs);
      for (const path of BUNDLES) {
        const url = normalizeUrl(new URL(site.origin + path));
        const read = await store.read(`GET ${url}`, url);
        expect(read.kind === 'found' && read.response.body.equals(site.body(path.split('?')[0]!))).toBe(true);
      }
      // Written to the second machine's disk tier: a third BundleCache on that dir needs no remote.
      const third = await BundleCache.open({ dir: second.dir, remote: false });
      for (const path of BUNDLES)
        expect((await third.warm(site.origin + path)).outcome).toBe('fresh');
      await third.close();
      expect(site.totalHits()).toBe(0);
    });
  });
}
