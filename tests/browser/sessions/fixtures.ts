import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { BundleCache, type BundleCacheOptions, type SessionEvent } from '../../../src/index.js';
import type { BundleCacheError } from '../../../src/errors.js';
import { makeTempDir, removeDir, listFiles } from '../../helpers/tempDir.js';
import { startLoginSite, type LoginSite, type LoginSiteOptions } from '../../site/login/server.js';

type Fixtures = {
  loginOptions: LoginSiteOptions;
  login: LoginSite;
  /** A fresh cache root for this test, removed afterwards. */
  cacheDir: string;
  /** Opens a BundleCache on `cacheDir` that records its session events and problems; closed after the test. */
  openCache: (options?: BundleCacheOptions) => Promise<RecordingCache>;
};

export interface RecordingCache {
  readonly cache: BundleCache;
  readonly events: SessionEvent[];
  readonly problems: BundleCacheError[];
}

export const test = base.extend<Fixtures>({
  // Logins answer at once: what these tests prove does not depend on how long a login takes.
  // A test that needs logins to overlap (processes racing for one) sets `loginDelayMs`.
  loginOptions: [{}, { option: true }],
  login: async ({ loginOptions }, use) => {
    const site = await startLoginSite({ loginDelayMs: 0, ...loginOptions });
    await use(site);
    await site.close();
  },
  cacheDir: async ({}, use) => {
    const dir = await makeTempDir('bundle-cache-sessions-');
    await use(dir);
    await removeDir(dir);
  },
  openCache: async ({ cacheDir }, use) => {
    const opened: BundleCache[] = [];
    await use(async (options = {}) => {
      const cache = await BundleCache.open({ dir: cacheDir, ...options });
      opened.push(cache);
      const events: SessionEvent[] = [];
      const problems: BundleCacheError[] = [];
      cache.on('session', event => events.push(event));
      cache.on('problem', error => problems.push(error));
      return { cache, events, problems };
    });
    await Promise.all(opened.map(cache => cache.close()));
  },
});

export { expect };

/** The session files under `dir` (relative paths). */
export async function sessionFiles(dir: string): Promise<string[]> {
  return (await listFiles(dir)).filter(file => file.startsWith('sessions/') && file.endsWith('.json'));
}

export async function readJson(dir: string, file: string): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as Record<string, unknown>;
}
