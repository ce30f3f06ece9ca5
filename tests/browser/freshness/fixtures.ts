import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Browser, type BrowserContextOptions, type Page } from '@playwright/test';
import { BundleCache, type BundleCacheError, type BundleCacheOptions, type ServedEvent } from '../../../src/index.js';
import type { BundleCacheInternals } from '../../../src/cache/bundleCache.js';
import type { EntryMeta } from '../../../src/core/meta.js';
import { listFiles } from '../../helpers/tempDir.js';
import { loadFlutterApp, type FlutterReport, type Site, type StatusCounts } from '../../site/server.js';
import { MAIN, test as clockedSite } from '../../helpers/clockedSite.js';
export { DAY, HOUR, MAIN, MINUTE, SECOND, TestClock } from '../../helpers/clockedSite.js';


type Fixtures = {
  /** A new BundleCache on `cacheDir` with the test's clock (a new run), closed after the test. */
  openCache: (options?: BundleCacheOptions, internals?: BundleCacheInternals) => Promise<BundleCache>;
};

export const test = clockedSite.extend<Fixtures>({
  openCache: async ({ cacheDir, clock }, use) => {
    const opened: BundleCache[] = [];
    await use(async (options = {}, internals = {}) => {
      const cache = await BundleCache.open({ dir: cacheDir, now: clock.now, ...options }, internals);
      opened.push(cache);
      return cache;
    });
    await Promise.all(opened.map(cache => cache.close()));
  },
});

export { expect };


/** What one page load did: the page's report, the cache's events, and what the site's main.dart.js saw. */
export interface Visit {
  readonly report: FlutterReport;
  readonly served: ServedEvent[];
  readonly problems: BundleCacheError[];
  /** The served event of main.dart.js (the first, if the page asked twice). */
  readonly main: ServedEvent | undefined;
  /** Responses the site sent for main.dart.js during this visit. */
  readonly mainResponses: StatusCounts;
  /** main.dart.js body bytes the site sent during this visit. */
  readonly mainBytes: number;
  /** The If-None-Match / If-Modified-Since of each main.dart.js request the site received during this visit. */
  readonly mainConditions: Array<{ ifNoneMatch: string | undefined; ifModifiedSince: string | undefined }>;
}

export interface VisitOptions {
  readonly contextOptions?: BrowserContextOptions;
  /** Page URL suffix, e.g. '?hash=1'. */
  readonly query?: string;
  /** Runs on the page after the app reported (e.g. a fetch of its own). */
  readonly after?: (page: Page) => Promise<void>;
}

/** A fresh context with `cache` attached, the Flutter app loaded once, the context closed. */
export async function visit(browser: Browser, cache: BundleCache, site: Site, options: VisitOptions = {}): Promise<Visit> {
  const served: ServedEvent[] = [];
  const problems: BundleCacheError[] = [];
  const onServed = (event: ServedEvent) => served.push(event);
  const onProblem = (error: BundleCacheError) => problems.push(error);
  cache.on('served', onServed).on('problem', onProblem);
  const before = { responses: site.responses(MAIN), bytes: site.bytesSent(MAIN), requests: site.requests.length };
  const context = await browser.newContext(options.contextOptions);
  let report: FlutterReport;
  try {
    await cache.attach(context);
    const page = await context.newPage();
    report = await loadFlutterApp(page, site.pageUrl + (options.query ?? ''));
    await options.after?.(page);
  } finally {
    await context.close();
    cache.off('served', onServed).off('problem', onProblem);
  }
  const after = site.responses(MAIN);
  const mainResponses: Record<number, number> = {};
  for (const [status, count] of Object.entries(after)) {
    const delta = count - (before.responses[Number(status)] ?? 0);
    if (delta)
      mainResponses[Number(status)] = delta;
  }
  const mainConditions = site.requests.slice(before.requests).filter(request => request.pathname === MAIN)
      .map(request => ({ ifNoneMatch: header(request.headers['if-none-match']), ifModifiedSince: header(request.headers['if-modified-since']) }));
  return {
    report, served, problems,
    main: served.find(event => new URL(event.url).pathname === MAIN),
    mainResponses, mainBytes: site.bytesSent(MAIN) - before.bytes, mainConditions,
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The page ran exactly build `build` of main.dart.js, the one index.html announces. */
export function expectBuild(report: FlutterReport, build: number): void {
  expect(report.error).toBeNull();
  expect(report.version).toBe(build);
  expect(report.main).toEqual({ loaded: true, threw: null, build, matched: true });
  expect(report.canvaskit.drew).toBe(true);
}

/** The page ran build `ran` of main.dart.js while index.html announced `announced`: a stale copy. */
export function expectStaleBuild(report: FlutterReport, ran: number, announced: number): void {
  expect(report.version).toBe(announced);
  expect(report.main).toEqual({ loaded: true, threw: null, build: ran, matched: false });
  expect(report.error).toBe(`main.dart.js is build ${ran}, index.html announces build ${announced} (a stale copy)`);
}

/** A stored entry as it is on disk: its meta.json (parsed) and body, found by URL path. */
export interface StoredEntry {
  readonly meta: EntryMeta;
  readonly body: Buffer;
  readonly metaPath: string;
  readonly bodyPath: string;
}

export async function storedEntries(dir: string): Promise<StoredEntry[]> {
  const entries: StoredEntry[] = [];
  for (const file of await listFiles(dir)) {
    if (!file.endsWith('.meta.json'))
      continue;
    const metaPath = path.join(dir, file);
    const bodyPath = metaPath.replace(/\.meta\.json$/, '.body');
    const meta = JSON.parse(await readFile(metaPath, 'utf8')) as EntryMeta;
    entries.push({ meta, body: await readFile(bodyPath), metaPath, bodyPath });
  }
  return entries;
}

export async function storedEntry(dir: string, pathname: string): Promise<StoredEntry> {
  const found = (await storedEntries(dir)).filter(entry => new URL(entry.meta.url).pathname === pathname);
  expect(found, `one stored entry for ${pathname}`).toHaveLength(1);
  return found[0]!;
}
