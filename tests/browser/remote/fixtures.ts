import { test as base, expect } from '@playwright/test';
import type { Browser } from 'playwright';
import { BundleCache, type BundleCacheOptions, type ServedEvent } from '../../../src/index.js';
import type { BundleCacheError } from '../../../src/errors.js';
import { RedisServer } from '../../helpers/redisServer.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { visit } from '../../helpers/visit.js';
import { startSite, type Site, type SiteReport } from '../../site/server.js';
import { withTestTimeout } from '../../unit/remote/machines/fixtures.js';

export { expect };

/** What a machine saw during one page load. */
export interface Loaded {
  readonly report: SiteReport;
  readonly served: ServedEvent[];
  readonly problems: BundleCacheError[];
}

/**
 * One machine of a fleet, as far as a page can tell: a BundleCache on a dir of
 * its own (its own tiers, locks and remote connection), loading pages in fresh
 * contexts of the worker's Chromium. Machines in one process share nothing
 * but that browser; ../../unit/remote/machines/ has the same claims without one.
 */
export class PageMachine {
  readonly cache: BundleCache;
  readonly dir: string;
  readonly #browser: Browser;

  constructor(cache: BundleCache, dir: string, browser: Browser) {
    this.cache = cache;
    this.dir = dir;
    this.#browser = browser;
  }

  async load(url: string): Promise<Loaded> {
    const served: ServedEvent[] = [];
    const problems: BundleCacheError[] = [];
    const onServed = (event: ServedEvent) => served.push(event);
    const onProblem = (error: BundleCacheError) => problems.push(error);
    this.cache.on('served', onServed);
    this.cache.on('problem', onProblem);
    try {
      return { report: await visit(this.#browser, this.cache, url), served, problems };
    } finally {
      this.cache.off('served', onServed);
      this.cache.off('problem', onProblem);
    }
  }
}

interface TestFixtures {
  site: Site;
  /** `?hash=1`: the page hashes every bundle it got, so a test can tell the bytes are the origin's. */
  pageUrl: string;
  /** The shared Redis (one per worker), this test's keys under a prefix no other test uses. */
  redisRemote: { url: string; prefix: string };
  /** Opens a machine on an empty dir of its own; closed and removed after the test. */
  startMachine: (options: Omit<BundleCacheOptions, 'dir'>) => Promise<PageMachine>;
}

export const test = base.extend<TestFixtures, { sharedRedis: RedisServer }>({
  sharedRedis: [async ({}, use) => {
    const server = await RedisServer.start();
    await use(server);
    await server.stop();
  }, { scope: 'worker' }],
  site: async ({}, use) => {
    const site = await startSite();
    await use(site);
    await site.close();
  },
  pageUrl: async ({ site }, use) => use(`${site.pageUrl}?hash=1`),
  redisRemote: async ({ sharedRedis }, use, testInfo) => use({ url: sharedRedis.url, prefix: `t${testInfo.testId}-${testInfo.repeatEachIndex}-${testInfo.retry}:` }),
  startMachine: async ({ browser }, use) => {
    const machines: PageMachine[] = [];
    await use(async options => {
      const dir = await makeTempDir('bundle-cache-machine-');
      const cache = await BundleCache.open({ ...options, remote: withTestTimeout(options.remote), dir });
      const machine = new PageMachine(cache, dir, browser);
      machines.push(machine);
      return machine;
    });
    await Promise.all(machines.map(machine => machine.cache.close()));
    await Promise.all(machines.map(machine => removeDir(machine.dir)));
  },
});

export { codes } from '../../helpers/codes.js';
export { sources } from './machines.js';
