import type { BundleCacheInternals } from '../../../src/cache/bundleCache.js';
import { nodeFileOps } from '../../../src/disk/fileOps.js';
import { storeFsOver } from '../../../src/disk/storeFs.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { auditCache } from '../audit.js';
import { fetchRequest } from '../children/fetchRequest.js';
import { findDebris } from '../debris.js';
import { describe, ERRNO_FAULTS, injectFault, numberSteps, type FaultKind, type StepId } from '../faults.js';
import { startOrigin, type Origin } from '../origin.js';
import { Tally, type Outcome } from '../outcome.js';
import { steppedOps, type Step } from '../steps.js';
import { openStoringCache } from '../storingCache.js';

const PATH = '/faults/main.dart.js';
const OLD = Buffer.from(`// build 1\n${'old '.repeat(300_000)}`);
const NEW = Buffer.from(`// build 2\n${'new '.repeat(400_000)}`);

/** A cache that stores every request again, with the default rules (the origin serves main.dart.js). */
const openRefreshing = (dir: string, internals: BundleCacheInternals = {}) => openStoringCache(dir, internals, null);

/**
 * Every file-system call one refetch-and-store makes (the miss's reads, the
 * entry's write, the index update), in order: recorded once on a cache that
 * already holds the key, as every faulted run starts.
 */
export async function recordWritePath(origin: Origin): Promise<StepId[]> {
  const dir = await makeTempDir('guarantee-record-');
  try {
    await seed(dir, origin);
    const steps: Step[] = [];
    let recording = false;
    const fs = storeFsOver(steppedOps(nodeFileOps, (step, call) => {
      if (recording)
        steps.push(step);
      return call();
    }));
    const cache = await openRefreshing(dir, { fs });
    recording = true;
    await cache.warm(origin.url + PATH, { request: fetchRequest() });
    await cache.close();
    return numberSteps(steps);
  } finally {
    await removeDir(dir);
  }
}

async function seed(dir: string, origin: Origin): Promise<void> {
  origin.set(PATH, { body: OLD });
  const cache = await openRefreshing(dir);
  await cache.warm(origin.url + PATH, { request: fetchRequest() });
  await cache.close();
  origin.set(PATH, { body: NEW });
}

/**
 * Promise 4: an `ENOSPC`, `EACCES`, `EIO` (and, at a write, a short write)
 * at each step of the write path in turn, injected in
 * the store's file-system seam. The caller still gets the new response from
 * the network, no exception escapes, the key reads as its previous entry
 * (or as the new one when the fault came after the new meta.json landed),
 * no temp file remains (a failed unlink's file is removed by the next write).
 * `every`: each step gets every fault; otherwise the errnos take turns.
 */
export async function faultMatrix(options: { every: boolean }): Promise<Outcome> {
  const origin = await startOrigin();
  const steps = await recordWritePath(origin).catch(async error => {
    await origin.close();
    throw error;
  });
  const tally = new Tally(4, `a fault at each of the ${steps.length} steps of a store${options.every ? ', every fault' : ', faults in turn'}`);
  const commit = steps.findIndex(step => step.op === 'rename' && step.role === 'meta-temp');
  if (commit < 0) {
    await origin.close();
    throw new Error(`no rename of a meta.json temp file among the ${steps.length} recorded steps: the step roles no longer match the writer`);
  }
  try {
    for (const [index, step] of steps.entries()) {
      const kinds: FaultKind[] = options.every ? [...ERRNO_FAULTS] : [ERRNO_FAULTS[index % ERRNO_FAULTS.length]!];
      if (step.op === 'write')
        kinds.push('short');
      for (const kind of kinds) {
        await faultOnce(tally, origin, step, kind, index > commit);
        tally.iterations++;
      }
    }
  } finally {
    await origin.close();
  }
  return tally.outcome();
}

async function faultOnce(tally: Tally, origin: Origin, step: StepId, kind: FaultKind, afterCommit: boolean): Promise<void> {
  const where = `${kind} at ${describe(step)}`;
  const dir = await makeTempDir('guarantee-fault-');
  const key = cacheKey('GET', origin.url + PATH);
  try {
    await seed(dir, origin);
    const fault = injectFault(step, kind);
    const cache = await openRefreshing(dir, { fs: storeFsOver(steppedOps(nodeFileOps, fault.around)) });
    fault.arm();
    try {
      const result = await cache.warm(origin.url + PATH, { request: fetchRequest() });
      tally.check(result.bytes === NEW.length, () => `${where}: the caller got ${result.outcome}, ${result.bytes} bytes`);
      const entry = (await auditCache(dir)).entries.get(key);
      const expected = result.outcome === 'stored' ? [NEW] : afterCommit ? [OLD, NEW] : [OLD];
      tally.check(entry !== undefined && expected.some(body => body.equals(entry.body)), () =>
        `${where}: the key reads as ${entry ? (entry.body.equals(OLD) ? 'the old entry' : 'the new entry') : 'a miss'} after a warm() that ${result.outcome === 'stored' ? 'stored' : 'failed to store'}`);
    } catch (error) {
      tally.fail(`${where}: ${(error as Error).message}`);
    } finally {
      await cache.close().catch((error: Error) => tally.fail(`${where}: close() threw ${error.message}`));
    }
    tally.check(fault.fired(), () => `${where}: the step was never reached`);
    const debris = await findDebris(dir);
    tally.check(!debris.length || step.op === 'unlink', () => `${where}: left behind ${debris.join(', ')}`);
    const next = await openRefreshing(dir);
    const again = await next.warm(origin.url + PATH, { request: fetchRequest() });
    await next.close();
    const after = await findDebris(dir);
    tally.check(again.outcome === 'stored' && !after.length, () => `${where}: the next store ended ${again.outcome}, left ${after.join(', ')}`);
  } finally {
    await removeDir(dir);
  }
}
