import { test as base } from '@playwright/test';
import { makeTempDir, removeDir } from './tempDir.js';
import { startSite, type Site, type SiteOptions } from '../site/server.js';

/**
 * One clock for the site (`Date`, `Expires`, deploy times) and every cache
 * of a test: freshness moves only when the test says so, never with the
 * machine's speed.
 */
export class TestClock {
  #now: number;

  constructor(start: number) {
    this.#now = start;
  }

  readonly now = (): number => this.#now;

  advance(ms: number): void {
    this.#now += ms;
  }
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const MAIN = '/main.dart.js';

export interface ClockedSiteFixtures {
  siteOptions: SiteOptions;
  /** How long ago build 1 was deployed when the test starts (its Last-Modified age). Default 0. */
  siteAgeMs: number;
  clock: TestClock;
  site: Site;
  /** The path of canvaskit.wasm on the CDN origin (under its engine revision). */
  cdnWasm: string;
  cacheDir: string;
}

/** The test site on the test's clock (the Flutter layout unless `siteOptions` says otherwise), and a cache dir: for unit and browser tests alike. */
export const test = base.extend<ClockedSiteFixtures>({
  siteOptions: [{ layout: 'flutter' }, { option: true }],
  siteAgeMs: [0, { option: true }],
  clock: async ({ siteAgeMs }, use) => {
    await use(new TestClock(Math.floor(Date.now() / 1000) * 1000 - siteAgeMs));
  },
  site: async ({ siteOptions, siteAgeMs, clock }, use) => {
    const site = await startSite({ clock: clock.now, ...siteOptions });
    clock.advance(siteAgeMs);
    await use(site);
    await site.close();
  },
  cdnWasm: async ({ site }, use) => {
    await use(new URL(site.cdn.canvaskitBaseUrl + 'canvaskit.wasm').pathname);
  },
  cacheDir: async ({}, use) => {
    const dir = await makeTempDir();
    await use(dir);
    await removeDir(dir);
  },
});
