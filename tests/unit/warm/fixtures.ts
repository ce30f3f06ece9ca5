import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from '@playwright/test';
import { BundleCache, type BundleCacheError, type BundleCacheOptions, type WarmOptions, type WarmResult } from '../../../src/index.js';
import type { BundleCacheInternals } from '../../../src/cache/bundleCache.js';
import type { CachedResponse, EntryMeta } from '../../../src/core/meta.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';
import { MemoryTier } from '../../../src/memory/memoryTier.js';
import { listFiles } from '../../helpers/tempDir.js';
import { type Site, type StatusCounts } from '../../site/server.js';
import { MAIN, test as clockedSite } from '../../helpers/clockedSite.js';
export { DAY, HOUR, MAIN, MINUTE, SECOND, TestClock } from '../../helpers/clockedSite.js';

// What a page load asks of the cache, without the page: the bundles the
// page would request, each through `cache.warm()` (the same resolve() as the
// route), against the real test site, with one clock for the site and the
// caches. For decision logic; what only a browser shows stays in tests/browser.


/** The memory tier with a record of what it served (the resolver's `served` hook): tells a memory hit from a disk one. */
export class WatchedMemory extends MemoryTier {
  readonly servedKeys: string[] = [];

  served(response: CachedResponse): void {
    this.servedKeys.push(response.meta.key);
  }
}

/** One BundleCache (a run) with its memory tier and the problems it reported. */
export interface Run {
  readonly cache: BundleCache;
  readonly memory: WatchedMemory;
  readonly problems: BundleCacheError[];
}

type Fixtures = {
  /** A new BundleCache on `cacheDir` (a new run) with the test's clock, closed after the test. */
  openRun: (options?: BundleCacheOptions, internals?: BundleCacheInternals) => Promise<Run>;
};

export const test = clockedSite.extend<Fixtures>({
  openRun: async ({ cacheDir, clock }, use) => {
    const opened: BundleCache[] = [];
    await use(async (options = {}, internals = {}) => {
      let memory: WatchedMemory | undefined;
      const cache = await BundleCache.open({ dir: cacheDir, now: clock.now, ...options }, {
        ...internals,
        memoryTier: settings => memory = new WatchedMemory(settings),
      });
      opened.push(cache);
      const problems: BundleCacheError[] = [];
      cache.on('problem', error => problems.push(error));
      return { cache, memory: memory!, problems };
    });
    await Promise.all(opened.map(cache => cache.close()));
  },
});

export { expect };

/** The URLs of the bundles a page of the site asks the cache for: main.dart.js and CanvasKit's two files. */
export function bundleUrls(site: Site): { main: string; canvaskitJs: string; canvaskitWasm: string } {
  if (site.layout === 'flutter')
    return { main: site.origin + MAIN, canvaskitJs: site.cdn.canvaskitBaseUrl + 'canvaskit.js', canvaskitWasm: site.cdn.canvaskitBaseUrl + 'canvaskit.wasm' };
  return { main: `${site.origin}${MAIN}?v=${site.version}`, canvaskitJs: `${site.origin}/canvaskit/canvaskit.js`, canvaskitWasm: `${site.origin}/canvaskit/canvaskit.wasm` };
}

/** Where a warmed response came from, as a page's `served` event would say (`checked`: the origin answered 304). */
export type Source = 'memory' | 'stored' | 'stored copy' | 'checked' | 'not stored' | 'failed';

/** What one warm of a URL did. */
export interface Warmed {
  readonly result: WarmResult;
  readonly source: Source;
  /** The body the cache holds for it in memory now, which is what it answered with (undefined when not kept). */
  readonly body: Buffer | undefined;
}

/** Warms `url` in `run` and says where the answer came from: `stored copy` is a disk hit here (no remote in these tests). */
export async function warmOnce(run: Run, url: string, options?: WarmOptions): Promise<Warmed> {
  const servedBefore = run.memory.servedKeys.length;
  const result = await run.cache.warm(url, options);
  const key = cacheKey('GET', result.redirectedTo ?? url);
  const fromMemory = run.memory.servedKeys.slice(servedBefore).includes(key);
  const source: Source = result.outcome === 'stored' ? 'stored'
    : result.outcome === 'fresh' ? result.revalidated ? 'checked' : fromMemory ? 'memory' : 'stored copy'
    : result.outcome === 'not-stored' ? 'not stored' : 'failed';
  return { result, source, body: run.memory.take(key)?.body };
}

/** What a page load's bundles did at the site's main.dart.js, as the browser tests count it. */
export interface Load {
  readonly main: Warmed;
  readonly canvaskitJs: Warmed;
  readonly canvaskitWasm: Warmed;
  /** Responses the site sent for main.dart.js during this load. */
  readonly mainResponses: StatusCounts;
  /** main.dart.js body bytes the site sent during this load. */
  readonly mainBytes: number;
  /** If-None-Match / If-Modified-Since of each main.dart.js request the site received during this load. */
  readonly mainConditions: Array<{ ifNoneMatch: string | undefined; ifModifiedSince: string | undefined }>;
}

/** The page's three bundles, warmed in the order a Flutter page asks for them. */
export async function load(run: Run, site: Site, options?: WarmOptions): Promise<Load> {
  const urls = bundleUrls(site);
  const before = { responses: site.responses(MAIN), bytes: site.bytesSent(MAIN), requests: site.requests.length };
  const main = await warmOnce(run, urls.main, options);
  const canvaskitJs = await warmOnce(run, urls.canvaskitJs, options);
  const canvaskitWasm = await warmOnce(run, urls.canvaskitWasm, options);
  const mainConditions = site.requests.slice(before.requests).filter(request => request.pathname === MAIN)
      .map(request => ({ ifNoneMatch: header(request.headers['if-none-match']), ifModifiedSince: header(request.headers['if-modified-since']) }));
  return { main, canvaskitJs, canvaskitWasm, mainResponses: delta(before.responses, site.responses(MAIN)), mainBytes: site.bytesSent(MAIN) - before.bytes, mainConditions };
}

/** Which deployed build of main.dart.js `body` is, byte for byte (0: none). */
export function buildOf(site: Site, body: Buffer | undefined): number {
  return site.deployment.builds.find(build => body !== undefined && site.body(MAIN, build).equals(body)) ?? 0;
}

/** The counts in `after` that changed since `before`, by status. */
export function delta(before: Readonly<Record<number, number>>, after: Readonly<Record<number, number>>): Record<number, number> {
  const changed: Record<number, number> = {};
  for (const [status, count] of Object.entries(after)) {
    if (count !== (before[Number(status)] ?? 0))
      changed[Number(status)] = count - (before[Number(status)] ?? 0);
  }
  return changed;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A stored entry as it is on disk: its meta.json (parsed, and its bytes) and body. */
export interface StoredEntry {
  readonly meta: EntryMeta;
  readonly metaBytes: Buffer;
  readonly body: Buffer;
  readonly metaPath: string;
  readonly bodyPath: string;
}

/** Every entry stored under `dir`. */
export async function storedEntries(dir: string): Promise<StoredEntry[]> {
  const metas = (await listFiles(dir)).filter(file => file.endsWith('.meta.json'));
  return Promise.all(metas.map(file => readStored(path.join(dir, file))));
}

/** The one entry stored for a URL with this path (on any origin). */
export async function storedEntry(dir: string, pathname: string): Promise<StoredEntry> {
  const found = (await storedEntries(dir)).filter(entry => new URL(entry.meta.url).pathname === pathname);
  expect(found, `one stored entry for ${pathname}`).toHaveLength(1);
  return found[0]!;
}

async function readStored(metaPath: string): Promise<StoredEntry> {
  const metaBytes = await readFile(metaPath);
  const bodyPath = metaPath.replace(/\.meta\.json$/, '.body');
  return { meta: JSON.parse(metaBytes.toString('utf8')) as EntryMeta, metaBytes, body: await readFile(bodyPath), metaPath, bodyPath };
}
