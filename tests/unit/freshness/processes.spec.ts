import { expect, test } from '@playwright/test';
import type { BundleCacheStats, WarmResult } from '../../../src/index.js';
import { endChildren, spawnTs, type Child } from '../../helpers/children.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { startSite, type OriginProfile } from '../../site/server.js';
import { expectEntryOfOneBuild } from './entryIntegrity.js';

const CHILDREN = 3;
const MAIN = '/main.dart.js';

interface Warmed {
  readonly result: WarmResult;
  readonly stats: BundleCacheStats;
}

/**
 * Waves of processes revalidating one key at once, each process a new
 * BundleCache on the shared dir whose clock stands still during the wave,
 * so every waiter arrived before the check: exactly one conditional request
 * per wave, the others read what it wrote. `deploy: 'during'` deploys while
 * the conditional request is at the origin (which answers for the deploy
 * current when the request arrived).
 */
const WAVES = [
  { name: 'cold', deploy: 'no', outcome: 'stored', responses: { 200: 1 }, conditional: 0 },
  { name: 'deployed before', deploy: 'before', outcome: 'stored', responses: { 200: 1 }, conditional: 1 },
  { name: 'deployed during', deploy: 'during', outcome: 'fresh (304)', responses: { 304: 1 }, conditional: 1 },
  { name: 'after the deploy during', deploy: 'no', outcome: 'stored', responses: { 200: 1 }, conditional: 1 },
] as const;

// GitHub Pages: an ETag and a Last-Modified, both of which change with every deploy.
const PROFILE: OriginProfile = 'github-pages';

test(`should send one conditional request per wave of ${CHILDREN} processes and keep one body with its own validators (${PROFILE})`, async () => {
  test.setTimeout(120_000);
  let now = Math.floor(Date.now() / 1000) * 1000;
  const site = await startSite({ layout: 'flutter', profile: PROFILE, latencyMs: 300, clock: () => now });
  const dir = await makeTempDir();
  const children: Child[] = Array.from({ length: CHILDREN }, () => spawnTs('tests/unit/freshness/warmChild.ts', [dir, 'run']));
  try {
    for (const child of children)
      expect(await child.nextLine()).toBe('ready');
    for (const wave of WAVES) {
      now += 1000;
      if (wave.deploy === 'before')
        site.deploy();
      site.resetCounters();
      const built = site.version;
      for (const child of children)
        child.process.stdin!.write(`warm ${now} ${site.origin}${MAIN}\n`);
      if (wave.deploy === 'during') {
        await expect.poll(() => site.hits(MAIN)).toBe(1);
        site.deploy();
      }
      const warmed = await Promise.all(children.map(async child => JSON.parse(await child.nextLine()) as Warmed));
      await test.step(`wave '${wave.name}'`, async () => {
        const outcomes = warmed.map(({ result }) => result.revalidated ? 'fresh (304)' : result.outcome).sort();
        expect(outcomes).toEqual([wave.outcome, ...Array(CHILDREN - 1).fill('fresh')].sort());
        expect(site.responses(MAIN)).toEqual(wave.responses);
        expect(site.requests.filter(request => request.headers['if-none-match'] !== undefined)).toHaveLength(wave.conditional);
        expect(warmed.reduce((sum, { stats }) => sum + stats.revalidations, 0)).toBe(wave.conditional);
        expect(warmed.reduce((sum, { stats }) => sum + stats.revalidated, 0)).toBe((wave.responses as Readonly<Record<number, number>>)[304] ?? 0);
        expect(warmed.reduce((sum, { stats }) => sum + stats.errors, 0)).toBe(0);
        // After a deploy during the check, the 304 it got is for the build it had, with that build's headers.
        expect(await expectEntryOfOneBuild(dir, site, MAIN)).toBe(built);
      });
    }
  } finally {
    await endChildren(children);
    await site.close();
    await removeDir(dir);
  }
});
