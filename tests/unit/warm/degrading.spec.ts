import fs from 'node:fs/promises';
import path from 'node:path';
import { LockManager } from '../../../src/disk/locks.js';
import { entryPaths } from '../../../src/keys/entryPaths.js';
import { faultyFs } from '../../helpers/faultyFs.js';
import { listFiles } from '../../helpers/tempDir.js';
import { MAIN, buildOf, bundleUrls, expect, load, test, type Load } from './fixtures.js';

// What the cache does when it cannot do its job: offline, an origin error,
// a full disk, a lock another process holds too long. The page's side (a
// failed offline request, a context closing mid-request) is shown in
// Chromium by tests/browser/cache/failures.spec.ts.

test.use({ siteOptions: {} });

const sources = (seen: Load) => [seen.main.source, seen.canvaskitJs.source, seen.canvaskitWasm.source];

test('should serve a warmed cache offline, from disk, without touching the network', async ({ site, openRun }) => {
  const warm = await openRun();
  await load(warm, site);
  await warm.cache.close();
  site.resetCounters();
  const offline = await openRun({ mode: 'offline' });
  const seen = await load(offline, site);
  expect(sources(seen)).toEqual(['stored copy', 'stored copy', 'stored copy']);
  expect(buildOf(site, seen.main.body)).toBe(1);
  expect(site.totalHits()).toBe(0);
  expect(offline.cache.stats().errors).toBe(0);
});

test('should pass an origin error on without storing it, and store the next good answer', async ({ site, cacheDir, openRun }) => {
  site.fail(MAIN, { status: 503 }, 1);
  const run = await openRun();
  const failed = await load(run, site);
  expect(failed.main.result).toMatchObject({ outcome: 'not-stored', reason: 'status 503' });
  expect((await listFiles(cacheDir)).filter(file => file.includes('main.dart.js'))).toEqual([]);
  const next = await load(run, site);
  expect(next.main.source).toBe('stored');
  expect(buildOf(site, next.main.body)).toBe(1);
  expect(site.hits(MAIN)).toBe(2);
  expect((await listFiles(cacheDir)).filter(file => file.includes('main.dart.js'))).toHaveLength(2);
});

test('should answer from the network when the disk is full, and store nothing', async ({ site, cacheDir, openRun }) => {
  const run = await openRun({}, { fs: faultyFs('writeFileAtomic', 'ENOSPC', file => file.includes('/v1/')) });
  for (let time = 0; time < 2; time++) {
    const seen = await load(run, site);
    for (const warmed of [seen.main, seen.canvaskitJs, seen.canvaskitWasm])
      expect(warmed.result).toMatchObject({ outcome: 'not-stored', reason: 'not kept by the disk tier', bytes: site.body(new URL(warmed.result.url).pathname).length });
  }
  expect(site.hits(MAIN)).toBe(2);
  expect(run.problems.map(problem => [problem.code, problem.details.errno])).toEqual(Array(6).fill(['ERR_STORE_FAILED', 'ENOSPC']));
  expect(run.cache.stats().errors).toBe(6);
  expect((await listFiles(cacheDir)).filter(file => file.startsWith('v1'))).toEqual([]);
});

test('should fetch without storing when another process holds the lock too long', async ({ site, cacheDir, openRun }) => {
  const url = bundleUrls(site).main;
  const paths = entryPaths(cacheDir, `GET ${url}`, url);
  await fs.mkdir(path.dirname(paths.base), { recursive: true });
  const other = new LockManager();
  const held = await other.acquire(paths.base, 0);
  try {
    const run = await openRun({}, { keyLockTimeoutMs: 200 });
    const seen = await load(run, site);
    // Answered whole from the network, and not written without the lock.
    expect(seen.main.result).toMatchObject({ outcome: 'not-stored', reason: 'not kept by the disk tier', bytes: site.body(MAIN).length });
    expect([seen.canvaskitJs.source, seen.canvaskitWasm.source]).toEqual(['stored', 'stored']);
    expect(run.problems.map(problem => problem.code)).toEqual(['ERR_LOCK_TIMEOUT']);
    expect(run.cache.stats().errors).toBe(1);
  } finally {
    await held.release();
  }
  expect(await fs.stat(paths.meta).catch(() => undefined)).toBeUndefined();
});
