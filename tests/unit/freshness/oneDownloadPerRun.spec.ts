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

async function processes(urls: string[], dir: string, count: number): Promise<Warmed[]> {
  const children = await startTogether('tests/unit/freshness/warmBundlesChild.ts', () => [dir, ...urls], count);
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

// Both hosts in the same processes: each process warms the six bundles at once, so one set of cold processes and
// one later process prove the rule for both (their counts are per host).
test('should download each bundle once for four cold processes, then each bundle once for a later one from a host that sends no validators, and no body from one that sends an ETag only', async () => {
  test.setTimeout(120_000);
  // Latency, so that the four overlap: three wait for the first one's lock.
  const noValidators = await startSite({ layout: 'flutter', profile: 'no-validators', localCanvasKit: true, latencyMs: 100 });
  const etagOnly = await startSite({ layout: 'flutter', profile: 'no-validators', localCanvasKit: true, latencyMs: 100 });
  for (const path of BUNDLES)
    etagOnly.setHeaders(path, { etag: `"${etagOnly.sha256(path).slice(0, 16)}"` });
  const urls = [noValidators, etagOnly].flatMap(site => BUNDLES.map(path => site.origin + path));
  const dir = await makeTempDir();
  try {
    const cold = await processes(urls, dir, 4);
    expect(answers(noValidators), 'cold, no validators: one 200 per bundle for the four').toEqual(each({ 200: 1 }));
    expect(answers(etagOnly), 'cold, ETag: one 200 per bundle for the four').toEqual(each({ 200: 1 }));
    expect(cold.flatMap(warmed => warmed.outcomes).filter(outcome => outcome === 'stored')).toHaveLength(urls.length);
    // The three that waited were served on the first one's download, made during their runs.
    expect(cold.reduce((sum, { stats }) => sum + stats.checksBorrowed, 0)).toBe(3 * urls.length);
    expect(cold.reduce((sum, { stats }) => sum + stats.errors, 0)).toBe(0);

    // A later run: the ETag'd bundles cost a 304 each and no body; the others one download each.
    noValidators.resetCounters();
    etagOnly.resetCounters();
    const [later] = await processes(urls, dir, 1);
    expect(answers(noValidators), 'later, no validators').toEqual(each({ 200: 1 }));
    expect(answers(etagOnly), 'later, ETag').toEqual(each({ 304: 1 }));
    expect(BUNDLES.reduce((sum, path) => sum + etagOnly.bytesSent(path), 0)).toBe(0);
    expect(later!.stats).toMatchObject({ errors: 0, revalidations: BUNDLES.length, withoutValidators: BUNDLES.length });
  } finally {
    await Promise.all([noValidators.close(), etagOnly.close()]);
    await removeDir(dir);
  }
});
