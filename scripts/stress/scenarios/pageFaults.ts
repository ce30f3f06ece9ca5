import { promises as fsp } from 'node:fs';
import type { Browser } from 'playwright';
import { BundleCache } from '../../../src/index.js';
import type { BundleCacheInternals } from '../../../src/cache/bundleCache.js';
import { nodeFileOps } from '../../../src/disk/fileOps.js';
import { storeFsOver } from '../../../src/disk/storeFs.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import type { Site } from '../../../tests/site/server.js';
import { appProblems, visit as visitWith } from '../../../tests/helpers/visit.js';
import { auditCache } from '../audit.js';
import { findDebris } from '../debris.js';
import { describe, injectFault, type FaultKind, type StepId } from '../faults.js';
import { Tally, type Outcome } from '../outcome.js';
import { steppedOps } from '../steps.js';

/** Faults on the way of a page's stores, one per load: the first bundle to reach the step gets it. */
export const PAGE_FAULTS: ReadonlyArray<[StepId, FaultKind]> = [
  [{ op: 'open', role: 'body-temp', nth: 1 }, 'EACCES'],
  [{ op: 'write', role: 'body-temp', nth: 2 }, 'ENOSPC'],
  [{ op: 'write', role: 'body-temp', nth: 1 }, 'short'],
  [{ op: 'sync', role: 'body-temp', nth: 1 }, 'EIO'],
  [{ op: 'rename', role: 'body-temp', nth: 1 }, 'EIO'],
  [{ op: 'link', role: 'body', nth: 1 }, 'EIO'],
  [{ op: 'rename', role: 'meta-temp', nth: 1 }, 'ENOSPC'],
  [{ op: 'write', role: 'index-temp', nth: 1 }, 'ENOSPC'],
];

async function visit(browser: Browser, site: Site, dir: string, internals: BundleCacheInternals, mode: 'default' | 'refresh'): Promise<{ error: string | null; stats: ReturnType<BundleCache['stats']> }> {
  const cache = await BundleCache.open({ dir, mode }, internals);
  try {
    const problems = appProblems(await visitWith(browser, cache, site.pageUrl + '?hash=1'), site);
    return { error: problems.join('; ') || null, stats: cache.stats() };
  } finally {
    await cache.close();
  }
}

/**
 * Promise 4 seen by the page: with every bundle cached, a refresh run whose
 * store hits each of `PAGE_FAULTS`. The page loads with the right bytes;
 * every bundle still reads as a whole entry afterwards, and no temp file is
 * left (tests/unit/guarantees/faults.spec.ts covers failed cleanups).
 */
export async function pageFaults(options: { browser: Browser; site: Site; rounds: number; faults?: ReadonlyArray<[StepId, FaultKind]> }): Promise<Outcome> {
  const { browser, site, rounds, faults = PAGE_FAULTS } = options;
  const tally = new Tally(4, `the page loads with a fault in its stores (${faults.length} faults)`);
  for (let round = 0; round < rounds; round++) {
    // One first run per round, copied for each fault.
    const seededDir = await makeTempDir('guarantee-page-fault-seed-');
    const seeded = await visit(browser, site, seededDir, {}, 'default');
    tally.check(!seeded.error, () => `round ${round}: the first load failed: ${seeded.error}`);
    for (const [step, kind] of faults) {
      const where = `${kind} at ${describe(step)}`;
      const dir = await makeTempDir('guarantee-page-fault-');
      try {
        await fsp.cp(seededDir, dir, { recursive: true });
        const fault = injectFault(step, kind);
        fault.arm();
        const faulted = await visit(browser, site, dir, { fs: storeFsOver(steppedOps(nodeFileOps, fault.around)), runStartedAt: Date.now() + 60_000 }, 'refresh');
        tally.check(!faulted.error, () => `${where}: the page failed: ${faulted.error}`);
        tally.check(fault.fired(), () => `${where}: no store reached the step`);
        const audit = await auditCache(dir);
        tally.check(audit.entries.size === 3 && !audit.broken.length, () => `${where}: afterwards ${audit.entries.size} whole entries; ${audit.broken.join('; ')}`);
        const debris = await findDebris(dir);
        tally.check(!debris.length, () => `${where}: left ${debris.join(', ')}`);
      } finally {
        await removeDir(dir);
      }
      tally.iterations++;
    }
    await removeDir(seededDir);
  }
  return tally.outcome();
}
