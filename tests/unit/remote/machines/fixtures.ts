import { test as base, expect } from '@playwright/test';
import type { Redis } from 'ioredis';
import { BundleCache, type BundleCacheOptions } from '../../../../src/index.js';
import type { BundleCacheError } from '../../../../src/errors.js';
import { EntryStore } from '../../../../src/disk/entryStore.js';
import { nodeStoreFs } from '../../../../src/disk/storeFs.js';
import { cacheKey, normalizeUrl } from '../../../../src/keys/normalizeUrl.js';
import type { RemoteOption } from '../../../../src/types.js';
import { NginxServer } from '../../../helpers/nginxServer.js';
import { RedisServer } from '../../../helpers/redisServer.js';
import { listFiles, makeTempDir, removeDir } from '../../../helpers/tempDir.js';
import { startSite, type Site, type SiteOptions } from '../../../site/server.js';

export { expect };

/** The legacy layout's bundles, as the page asks for them at build 1. */
export const BUNDLE_PATHS = ['/main.dart.js?v=1', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;
export const SECRET = 'fleet-secret-0123456789abcdef-0123456789';

/**
 * One machine of a fleet without a browser: a BundleCache on a dir of its
 * own, asked for bundles with `warm()`, which goes through the same
 * `resolve()` as a page's requests (tiers, single flight, store policy).
 */
export interface Machine {
  readonly cache: BundleCache;
  readonly dir: string;
  /** Every problem it reported, in order. */
  readonly problems: BundleCacheError[];
}

interface TestFixtures {
  siteOptions: SiteOptions;
  site: Site;
  /** A name no other test uses: a Redis key prefix, a path under nginx's WebDAV location. */
  space: string;
  /** The shared Redis (one per worker), this test's keys under `space`. */
  redisRemote: { url: string; prefix: string };
  /** The shared nginx (one per worker), this test's files under `space/`. */
  nginxRemote: string;
  /** Opens a machine on an empty dir of its own; closed and removed after the test. */
  startMachine: (options: Omit<BundleCacheOptions, 'dir'>) => Promise<Machine>;
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
  space: async ({}, use, testInfo) => use(`t${testInfo.testId}-${testInfo.repeatEachIndex}-${testInfo.retry}`),
  redisRemote: async ({ sharedRedis, space }, use) => use({ url: sharedRedis.url, prefix: `${space}:` }),
  nginxRemote: async ({ sharedNginx, space }, use) => use(`${sharedNginx.url}${space}/`),
  startMachine: async ({}, use) => {
    const machines: Machine[] = [];
    await use(async options => {
      const dir = await makeTempDir('bundle-cache-machine-');
      const cache = await BundleCache.open({ ...options, remote: withTestTimeout(options.remote), dir });
      const machine = { cache, dir, problems: [] as BundleCacheError[] };
      cache.on('problem', error => machine.problems.push(error));
      machines.push(machine);
      return machine;
    });
    await Promise.all(machines.map(machine => machine.cache.close()));
    await Promise.all(machines.map(machine => removeDir(machine.dir)));
  },
});

/**
 * The remote's deadline (2 s by default, plus time per byte) is not what
 * these tests are about: 30 s, so a loaded machine cannot turn a slow
 * write into a reported problem. Tests of the deadline itself are in
 * ../faults.spec.ts.
 */
export function withTestTimeout(remote: BundleCacheOptions['remote']): BundleCacheOptions['remote'] {
  if (typeof remote === 'string')
    return { url: remote, timeout: '30s' };
  return remote && { timeout: '30s', ...remote };
}

/** `warm()` of each path on the site; the outcomes, in order. */
export async function warmAll(machine: Machine, site: Site, paths: readonly string[] = BUNDLE_PATHS, headers?: Record<string, string>): Promise<string[]> {
  const outcomes: string[] = [];
  for (const path of paths)
    outcomes.push((await machine.cache.warm(site.origin + path, { headers })).outcome);
  return outcomes;
}

/**
 * Waits until the machine has uploaded `count` entries, then closes it:
 * close() bounds its wait for uploads, and this waits for the event instead,
 * however slow the machine.
 */
export async function closeAfterUploads(machine: Machine, count: number): Promise<void> {
  await expect.poll(() => machine.cache.stats().uploads, { timeout: 60_000 }).toBe(count);
  await machine.cache.close();
}

/** Puts the site's bundles on `remote` from a machine of its own (warm, uploads done, closed). */
export async function seed(startMachine: TestFixtures['startMachine'], site: Site, remote: RemoteOption, paths: readonly string[] = BUNDLE_PATHS): Promise<void> {
  const machine = await startMachine({ remote });
  expect(await warmAll(machine, site, paths)).toEqual(paths.map(() => 'stored'));
  await closeAfterUploads(machine, paths.length);
  expect(machine.cache.stats()).toMatchObject({ uploads: paths.length, remoteErrors: 0 });
}

/** The body the machine's disk holds for `url`, or why there is none. */
export async function bodyOnDisk(machine: Machine, url: string): Promise<Buffer | string> {
  const normalized = normalizeUrl(url);
  const read = await new EntryStore(machine.dir, nodeStoreFs).read(cacheKey('GET', normalized), normalized);
  return read.kind === 'found' ? read.response.body : read.kind;
}

/** The machine's disk holds exactly the origin's bytes for each path (`?v=N`: build N); after close(), which waits for the writes of remote hits. */
export async function expectOriginBytesOnDisk(machine: Machine, site: Site, paths: readonly string[] = BUNDLE_PATHS): Promise<void> {
  for (const path of paths) {
    const [pathname, query] = path.split('?') as [string, string | undefined];
    const version = query?.startsWith('v=') ? Number(query.slice(2)) : undefined;
    const body = await bodyOnDisk(machine, site.origin + path);
    expect(Buffer.isBuffer(body) && body.equals(site.body(pathname, version)), `${path} on disk`).toBe(true);
  }
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
  return listFiles(nginxDir(nginx, url)).catch(() => []);
}

/** Where nginx keeps the files of a test's space. */
export function nginxDir(nginx: { storage: string; url: string }, url: string): string {
  return `${nginx.storage}${new URL(url).pathname.slice(new URL(nginx.url).pathname.length)}`;
}

export { codes } from '../../../helpers/codes.js';
