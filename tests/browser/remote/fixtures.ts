import { test as base, expect } from '@playwright/test';
import type { Redis } from 'ioredis';
import { BundleCache, type BundleCacheOptions } from '../../../src/index.js';
import type { RemoteOption } from '../../../src/types.js';
import { NginxServer } from '../../helpers/nginxServer.js';
import { RedisServer } from '../../helpers/redisServer.js';
import { listFiles, makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { startSite, type Site, type SiteOptions } from '../../site/server.js';
import { Machine, type MachineSettings } from './machines.js';

export { expect };

/** The legacy layout's bundles, as the page asks for them at build 1. */
export const BUNDLE_PATHS = ['/main.dart.js?v=1', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;
export const SECRET = 'fleet-secret-0123456789abcdef-0123456789';

interface TestFixtures {
  siteOptions: SiteOptions;
  site: Site;
  /** `?hash=1`: the page hashes every bundle it got, so a test can tell the bytes are the origin's. */
  pageUrl: string;
  /** A name no other test uses: a Redis key prefix, a path under nginx's WebDAV location. */
  space: string;
  /** The shared Redis (one per worker), this test's keys under `space`. */
  redisRemote: { url: string; prefix: string };
  /** The shared nginx (one per worker), this test's files under `space/`. */
  nginxRemote: string;
  /** Starts a machine on an empty cache dir of its own; killed (if still running) and removed after the test. */
  startMachine: (options: Omit<BundleCacheOptions, 'dir'>, settings?: MachineSettings) => Promise<Machine>;
  /** A BundleCache in this process on a dir of its own (no browser): puts entries on a remote with `warm()`. */
  openCache: (options: Omit<BundleCacheOptions, 'dir'>) => Promise<BundleCache>;
}

interface WorkerFixtures {
  sharedRedis: RedisServer;
  sharedNginx: NginxServer;
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  sharedRedis: [async ({}, use) => {
    const server = await RedisServer.start();
    await use(server);
    await server.stop();
  }, { scope: 'worker' }],
  sharedNginx: [async ({}, use) => {
    const server = await NginxServer.start({ clientMaxBodySize: '64m' });
    await use(server);
    await server.stop();
  }, { scope: 'worker' }],
  siteOptions: [{}, { option: true }],
  site: async ({ siteOptions }, use) => {
    const site = await startSite(siteOptions);
    await use(site);
    await site.close();
  },
  pageUrl: async ({ site }, use) => use(`${site.pageUrl}?hash=1`),
  space: async ({}, use, testInfo) => use(`t${testInfo.testId}-${testInfo.repeatEachIndex}-${testInfo.retry}`),
  redisRemote: async ({ sharedRedis, space }, use) => use({ url: sharedRedis.url, prefix: `${space}:` }),
  nginxRemote: async ({ sharedNginx, space }, use) => use(`${sharedNginx.url}${space}/`),
  startMachine: async ({}, use) => {
    const started: Machine[] = [];
    const dirs: string[] = [];
    await use(async (options, settings) => {
      const dir = await makeTempDir('bundle-cache-machine-');
      dirs.push(dir);
      const machine = await Machine.start({ ...options, dir }, settings);
      started.push(machine);
      return machine;
    });
    await Promise.all(started.map(machine => machine.kill()));
    await Promise.all(dirs.map(removeDir));
  },
  openCache: async ({}, use) => {
    const opened: BundleCache[] = [];
    const dirs: string[] = [];
    await use(async options => {
      const dir = await makeTempDir('bundle-cache-seed-');
      dirs.push(dir);
      const cache = await BundleCache.open({ ...options, dir });
      opened.push(cache);
      return cache;
    });
    await Promise.all(opened.map(cache => cache.close()));
    await Promise.all(dirs.map(removeDir));
  },
});

/** Puts the site's bundles on `remote` from a machine without a browser (warm, then close: uploads flushed). */
export async function seed(openCache: TestFixtures['openCache'], site: Site, remote: RemoteOption, paths: readonly string[] = BUNDLE_PATHS): Promise<void> {
  const cache = await openCache({ remote });
  for (const path of paths)
    expect((await cache.warm(site.origin + path)).outcome).toBe('stored');
  await cache.close();
  expect(cache.stats()).toMatchObject({ uploads: paths.length, remoteErrors: 0 });
}

/** Every key under `prefix` (SCAN, as an operator would look). */
export async function redisKeys(client: Redis, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  return keys.map(key => key.slice(prefix.length)).sort();
}

/** Every file nginx holds for `url` (a test's space under the WebDAV location), relative to it. */
export async function nginxFiles(nginx: NginxServer, url: string): Promise<string[]> {
  const relative = new URL(url).pathname.slice(new URL(nginx.url).pathname.length);
  return listFiles(`${nginx.storage}${relative}`).catch(() => []);
}
