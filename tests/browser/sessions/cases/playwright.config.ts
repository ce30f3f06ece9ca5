import { defineConfig } from '@playwright/test';
import type { BrowserContext } from 'playwright';
import { chromiumLaunchOptions } from '../../../../src/browser/findChromium.js';
import type { BundleCacheTestOptions, BundleCacheWorkerOptions } from '../../../../src/test/index.js';
import { loginAs } from '../../../site/login/browse.js';

const origin = process.env.LOGIN_ORIGIN!;

/**
 * The warm-up of each user, declared once here. This file is loaded again
 * in every worker, so the functions in `use` are there too; the guard
 * proves the warm-up runs in a worker, not in the runner.
 */
function warm(user: string) {
  return async (context: BrowserContext) => {
    if (process.env.TEST_WORKER_INDEX === undefined)
      throw new Error('warm() ran outside a worker');
    await loginAs(origin, user)(context);
  };
}

/** Suites the session tests run in a child process (see ../fixture.spec.ts). */
export default defineConfig<BundleCacheTestOptions, BundleCacheWorkerOptions>({
  testDir: '.',
  testMatch: '*.case.ts',
  workers: 3,
  fullyParallel: true,
  retries: 1,
  timeout: 60_000,
  reporter: [['list'], ['json'], ['../../../../src/test/reporter.ts']],
  use: {
    baseURL: origin,
    launchOptions: chromiumLaunchOptions(),
    bundleCache: {
      dir: process.env.SESSION_CACHE_DIR,
      sessions: {
        alice: { warm: warm('alice'), ttl: '1h' },
        bob: { warm: warm('bob'), ttl: '1h' },
        carol: { warm: warm('carol') },
        dave: { warm: warm('dave') },
      },
    },
  },
});
