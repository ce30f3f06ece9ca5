import type { BundleCacheStats } from '../../../src/index.js';
import { spawnTs, type Child } from '../../helpers/children.js';
import type { FlutterReport } from '../../site/server.js';
import { expectEntryOfOneBuild } from '../../unit/freshness/entryIntegrity.js';
import { MAIN, SECOND, expect, test } from './fixtures.js';

const CHILDREN = 3;

interface Visited {
  readonly stats: BundleCacheStats;
  readonly report: FlutterReport;
}

/** Every child visits at once, each with a new BundleCache whose clock stands at `instant`. */
async function wave(children: readonly Child[], instant: number): Promise<Visited[]> {
  for (const child of children)
    child.process.stdin!.write(`visit ${instant}\n`);
  return Promise.all(children.map(async child => JSON.parse(await child.nextLine()) as Visited));
}

test.describe("several processes revalidating one key at once, as netlify, revalidate 'run'", () => {
  test("should send one request per key per wave, serve each page the origin's exact bytes, and keep one body with its own headers", async ({ site, cdnWasm, clock, cacheDir }) => {
    test.setTimeout(240_000);
    // Wide enough that the pages overlap: each request waits 200 ms for its head.
    site.setLatency(200);
    const children = Array.from({ length: CHILDREN }, () => spawnTs('tests/browser/freshness/revalidatingChild.ts', [cacheDir, site.pageUrl + '?hash=1', 'run']));
    try {
      for (const child of children)
        expect(await child.nextLine()).toBe('ready');
      // A clock standing still during a wave makes "arrived before the check" certain for every waiter.
      const waves = [
        { name: 'cold', deploy: false, main: { 200: 1 }, conditional: 0 },
        { name: 'unchanged', deploy: false, main: { 304: 1 }, conditional: 1 },
        { name: 'deployed', deploy: true, main: { 200: 1 }, conditional: 1 },
      ];
      for (const { name, deploy, main, conditional } of waves) {
        if (deploy)
          site.deploy();
        clock.advance(SECOND);
        site.resetCounters();
        const visited = await wave(children, clock.now());
        await test.step(`wave '${name}'`, async () => {
          for (const { report } of visited) {
            expect(report.error).toBeNull();
            expect(report.main).toEqual({ loaded: true, threw: null, build: site.version, matched: true });
            // ?hash=1: the page hashed what it got, by URL.
            expect(report.hashes[MAIN]).toBe(site.sha256(MAIN));
            expect(report.hashes[site.cdn.canvaskitBaseUrl + 'canvaskit.wasm']).toBe(site.cdn.sha256(cdnWasm));
          }
          expect(site.responses(MAIN), 'main.dart.js at the origin').toEqual(main);
          const conditionals = site.requests.filter(request => request.pathname === MAIN && request.headers['if-none-match'] !== undefined);
          expect(conditionals, 'conditional requests for main.dart.js').toHaveLength(conditional);
          expect(site.cdn.responses(cdnWasm)).toEqual(name === 'cold' ? { 200: 1 } : {});
          const total = (key: Exclude<keyof BundleCacheStats, 'sessions'>) => visited.reduce((sum, { stats }) => sum + stats[key], 0);
          expect(total('revalidations')).toBe(conditional);
          expect(total('revalidated')).toBe(main[304] ?? 0);
          expect(total('errors')).toBe(0);
          expect(await expectEntryOfOneBuild(cacheDir, site, MAIN)).toBe(site.version);
        });
      }
    } finally {
      for (const child of children)
        child.process.stdin!.end('exit\n');
      expect(await Promise.all(children.map(child => child.exited))).toEqual(children.map(() => 0));
    }
  });
});
