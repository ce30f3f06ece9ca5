import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BundleCacheError } from '../errors.js';

export type ChromiumSource = 'env' | 'playwright' | 'system';

export interface ChromiumLocation {
  /** `undefined` means: let Playwright launch its own installed build. */
  readonly executablePath: string | undefined;
  readonly source: ChromiumSource;
}

export const NO_BROWSER_HINT =
  'No Chromium found: run `npx playwright install chromium`, or `apt-get install -y chromium` on Debian/Ubuntu, or set CHROMIUM_PATH=/path/to/chrome.';

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/**
 * Finds a Chromium to launch: `$CHROMIUM_PATH` when set (an explicit choice
 * wins), else Playwright's own download, else a system install.
 */
export function findChromium(env: NodeJS.ProcessEnv = process.env): ChromiumLocation {
  const fromEnv = env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new BundleCacheError('ERR_NO_BROWSER', `CHROMIUM_PATH=${fromEnv} does not exist. ${NO_BROWSER_HINT}`, { path: fromEnv });
    return { executablePath: fromEnv, source: 'env' };
  }
  if (playwrightChromiumInstalled())
    return { executablePath: undefined, source: 'playwright' };
  const system = SYSTEM_PATHS.find(candidate => existsSync(candidate));
  if (system)
    return { executablePath: system, source: 'system' };
  throw new BundleCacheError('ERR_NO_BROWSER', NO_BROWSER_HINT);
}

/**
 * Launch options for `chromium.launch()` that work on a locked-down machine:
 * the browser found by `findChromium()`, no sandbox when running as root, and
 * no background traffic to Google's services.
 */
export function chromiumLaunchOptions(env: NodeJS.ProcessEnv = process.env): { executablePath?: string; args: string[] } {
  const { executablePath } = findChromium(env);
  const args = ['--disable-background-networking', '--disable-component-update'];
  if (process.getuid?.() === 0)
    args.push('--no-sandbox');
  return executablePath ? { executablePath, args } : { args };
}

function playwrightChromiumInstalled(): boolean {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core') as typeof import('playwright-core');
    return existsSync(chromium.executablePath());
  } catch {
    return false;
  }
}
