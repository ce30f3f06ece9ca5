import { expect, test } from '@playwright/test';
import type { BundleCacheStats, WarmResult } from '../../../src/index.js';
import { endChildren, finish, startTogether } from '../../helpers/children.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { startSite, type Site } from '../../site/server.js';

// One download per bundle per run, across processes (issue 19): processes
// on one cache dir, each its own run, warm a self-hosted, unversioned
// Flutter app's bundles, from a host that sends no validators and from one
// that sends an ETag and nothing else. tests/browser/freshness/
// oneDownloadPerRun.spec.ts loads the page in Chromium.

const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'] as const;

interface Warmed {
  readonly outcomes: Array<WarmResult['outcome']>;
  readonly stats: BundleCacheStats;
}

async function processes(site: Site, dir: string, count: number): Promise<Warmed[]> {
  const children = await startTogether('tests/unit/freshness/warmBundlesChild.ts', () => [dir, ...BUNDLES.map(path => site.origin + path)], count);
  const results = await Promise.all(children.map(child => finish<Warmed>(child)));
  await endChildren(children);
  return results.map(({ result, code }) => {
    expect(code).toBe(0);
    return result!;
  });
}

function answers(site: Site) {
  return Object.fromEntries(BUNDLES.map(path => [path, { ...site.responses(path) }]));
}

function each<T>(value: T): Record<string, T> {
  return Object.fromEntries(BUNDLES.map(path => [path, value]));
}

for (const { name, validators } of [{ name: 'no validators', validators: false }, { name: 'an ETag only', validators: true }]) {
  test(`should download each bundle once for four cold processes, and ${validators ? 'no body' : 'each bundle once'} for a later one, from a host that sends ${name}`, async () => {
    test.setTimeout(120_000);
    // Latency, so that the four overlap: three wait for the first one's lock.
    const site = await startSite({ layout: 'flutter', profile: 'no-validators', localCanvasKit: true, latencyMs: 100 });
    if (validators) {
      for (const path of BUNDLES)
        site.setHeaders(path, { etag: `"${site.sha256(path).slice(0, 16)}"` });
    }
    const dir = await makeTempDir();
    try {
      const cold = await processes(site, dir, 4);
      expect(answers(site), 'cold: one 200 per bundle for the four').toEqual(each({ 200: 1 }));
      expect(cold.flatMap(warmed => warmed.outcomes).filter(outcome => outcome === 'stored')).toHaveLength(BUNDLES.length);
      // The three that waited were served on the first one's download, made during their runs.
      expect(cold.reduce((sum, { stats }) => sum + stats.checksBorrowed, 0)).toBe(3 * BUNDLES.length);
      expect(cold.reduce((sum, { stats }) => sum + stats.errors, 0)).toBe(0);

      // A later run: the ETag'd bundles cost a 304 each and no body; the others one download each.
      site.resetCounters();
      const [later] = await processes(site, dir, 1);
      expect(answers(site)).toEqual(each(validators ? { 304: 1 } : { 200: 1 }));
      if (validators)
        expect(BUNDLES.reduce((sum, path) => sum + site.bytesSent(path), 0)).toBe(0);
      expect(later!.stats).toMatchObject({ errors: 0, revalidations: validators ? BUNDLES.length : 0, withoutValidators: validators ? 0 : BUNDLES.length });
    } finally {
      await site.close();
      await removeDir(dir);
    }
  });
}
