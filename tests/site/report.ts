import type { Page } from 'playwright';

/** What the page's bootstrap reports on `window.__site`; see public/flutter_bootstrap.js. */
export interface SiteReport {
  ready: boolean;
  /** Why the page failed, also in `document.title` as `failed: <reason>`. */
  error: string | null;
  /** The build the page (index.html) belongs to. */
  version: number;
  /** `pixel` is RGBA read back from the visible canvas; red is [255, 0, 0, 255]. */
  canvaskit: { drew: boolean; pixel: number[] };
  /** `threw` holds a top-level exception of main.dart.js, which does not fail the page. */
  main: { loaded: boolean; threw: string | null };
  /** Hex SHA-256 by requested URL (path + query; absolute for another origin); only with `?hash=1`. */
  hashes: Record<string, string>;
  /** `performance.now()` milliseconds; null until reached. */
  timings: { start: number; canvaskitReady: number | null; mainLoaded: number | null; done: number | null };
}

/**
 * What the Flutter layout's page reports (public/flutter.js). A stale file
 * (a build other than the one index.html announces) fails the page with
 * `… is build N-1, index.html announces build N (a stale copy)`; bytes of
 * no deployed build fail it with `could not load /main.dart.js …`.
 */
export interface FlutterReport extends SiteReport {
  layout: 'flutter';
  /** The build of the flutter_bootstrap.js that ran (its service worker version); null if it never said. */
  bootstrap: { build: number | null };
  /**
   * `build`: the build whose main.dart.js ran (its trailer), null if none ran;
   * `matched`: its bytes are those of the build index.html announces.
   */
  main: { loaded: boolean; threw: string | null; build: number | null; matched: boolean };
  /** `baseUrl`: where CanvasKit came from, absolute (the CDN, or the site with `localCanvasKit`). */
  canvaskit: { drew: boolean; pixel: number[]; baseUrl: string };
}

declare global {
  interface Window {
    __site?: SiteReport | FlutterReport;
  }
}

interface WaitOptions {
  /** Milliseconds to wait for the report; Playwright's default when omitted. */
  timeout?: number;
}

/** Opens the app at `url` (either layout) and waits until it reports success or failure. */
export async function loadApp(page: Page, url: string, options: WaitOptions = {}): Promise<SiteReport> {
  await page.goto(url);
  return waitForReport(page, options);
}

/** `loadApp` for the Flutter layout: the same wait, the fuller report; throws on a legacy page. */
export async function loadFlutterApp(page: Page, url: string, options: WaitOptions = {}): Promise<FlutterReport> {
  return asFlutterReport(await loadApp(page, url, options), url);
}

/**
 * Reloads the page as a user does (the browser revalidates the document; its
 * HTTP cache decides about the rest) and waits for the Flutter page's report.
 */
export async function reloadFlutterApp(page: Page, options: WaitOptions = {}): Promise<FlutterReport> {
  await page.reload();
  return asFlutterReport(await waitForReport(page, options), page.url());
}

async function waitForReport(page: Page, options: WaitOptions): Promise<SiteReport> {
  await page.waitForFunction(() => window.__site?.ready || window.__site?.error, null, options);
  return page.evaluate(() => window.__site!);
}

function asFlutterReport(report: SiteReport, url: string): FlutterReport {
  if (!('layout' in report) || report.layout !== 'flutter')
    throw new Error(`${url} is not the Flutter layout's page; start the site with { layout: 'flutter' } or use loadApp()`);
  return report as FlutterReport;
}
