import type { Page } from 'playwright';

/** What the page's bootstrap reports on `window.__site`; see public/flutter_bootstrap.js. */
export interface SiteReport {
  ready: boolean;
  /** Why the page failed, also in `document.title` as `failed: <reason>`. */
  error: string | null;
  version: number;
  /** `pixel` is RGBA read back from the visible canvas; red is [255, 0, 0, 255]. */
  canvaskit: { drew: boolean; pixel: number[] };
  /** `threw` holds a top-level exception of main.dart.js, which does not fail the page. */
  main: { loaded: boolean; threw: string | null };
  /** Hex SHA-256 by requested URL (path + query); only with `?hash=1`. */
  hashes: Record<string, string>;
  /** `performance.now()` milliseconds; null until reached. */
  timings: { start: number; canvaskitReady: number | null; mainLoaded: number | null; done: number | null };
}

declare global {
  interface Window {
    __site?: SiteReport;
  }
}

/** Opens the app at `url` and waits until it reports success or failure. */
export async function loadApp(page: Page, url: string, options: { timeout?: number } = {}): Promise<SiteReport> {
  await page.goto(url);
  await page.waitForFunction(() => window.__site?.ready || window.__site?.error, null, options);
  return page.evaluate(() => window.__site!);
}
