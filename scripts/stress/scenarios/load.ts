import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Browser } from 'playwright';
import { BundleCache } from '../../../src/index.js';
import { spawnTs } from '../../../tests/helpers/children.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { appProblems, visit } from '../../../tests/helpers/visit.js';
import { Tally, type Outcome } from '../outcome.js';
import { WatchedMemoryTier } from '../watchedMemory.js';

const MB = 1024 * 1024;

export interface LoadOptions {
  readonly browser: Browser;
  readonly loads: number;
  /** `memory.maxBytes`. */
  readonly memoryBytes: number;
  /** main.dart.js builds cycled through (5.8 MB each): more than the budget holds, so memory evicts and disk serves. */
  readonly builds: number;
  /** Allowed RSS above the start plus `memoryBytes`: the Playwright client, its buffers, V8's heap slack. */
  readonly marginBytes: number;
}

/**
 * Promise 10: `loads` sequential page loads in one process, each a fresh
 * context, main.dart.js cycling through `builds` builds, more than
 * `memory.maxBytes` holds. The memory tier's own bytes never exceed
 * `memory.maxBytes`, it evicted, and the disk served what it evicted; process
 * RSS (this process: Playwright client and cache; the site runs in a child)
 * never exceeds its value at the start plus `memory.maxBytes` plus
 * `marginBytes`; the open file descriptors are back to their starting count
 * at the end.
 */
export async function load(options: LoadOptions): Promise<Outcome> {
  const { browser, loads, memoryBytes, builds, marginBytes } = options;
  const tally = new Tally(10, `${loads} sequential page loads, memory.maxBytes ${memoryBytes / MB} MB, ${builds} builds of main.dart.js`);
  const gc = exposeGc();
  const site = spawnTs('scripts/stress/children/site.ts', []);
  const origin = await site.nextLine();
  const deploy = async (version: number) => {
    site.process.stdin!.write(`version ${version}\n`);
    await site.nextLine();
  };
  const dir = await makeTempDir('guarantee-load-');
  try {
    gc();
    const startRss = process.memoryUsage().rss;
    const startFds = openFds();
    let memory: WatchedMemoryTier | undefined;
    const cache = await BundleCache.open({ dir, memory: { maxBytes: memoryBytes } }, { memoryTier: options => memory = new WatchedMemoryTier(options) });
    let peakRss = startRss;
    let peakFds = startFds;
    for (let i = 0; i < loads; i++) {
      await deploy(1 + (i % builds));
      try {
        appProblems(await visit(browser, cache, origin + '/')).forEach(problem => tally.fail(`load ${i}: ${problem}`));
      } catch (error) {
        tally.fail(`load ${i}: ${(error as Error).message.split('\n')[0]}`);
      }
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      peakFds = Math.max(peakFds, openFds());
      tally.iterations++;
    }
    const stats = cache.stats();
    await cache.close();
    gc();
    const endFds = openFds();
    tally.check(memory !== undefined && memory.peakBytes <= memoryBytes, () => `the memory tier held ${memory?.peakBytes} bytes, over its budget of ${memoryBytes}`);
    tally.check(memory !== undefined && memory.evictions > 0, () => `the memory tier never evicted (peak ${mb(memory?.peakBytes ?? NaN)} of ${mb(memoryBytes)}): the loads do not test the budget`);
    tally.check(stats.diskHits > 0, () => 'no load was served from disk: nothing evicted from memory was asked for again');
    tally.check(peakRss <= startRss + memoryBytes + marginBytes, () => `RSS peaked at ${mb(peakRss)}, over ${mb(startRss)} + ${mb(memoryBytes)} budget + ${mb(marginBytes)} margin`);
    tally.check(endFds <= startFds, () => `${endFds} file descriptors open at the end, ${startFds} at the start`);
    tally.check(stats.errors === 0, () => `${stats.errors} errors counted`);
    Object.assign(tally.figures, {
      'RSS at start': mb(startRss), 'RSS peak': mb(peakRss), 'RSS at end': mb(process.memoryUsage().rss),
      'fds start / peak / end': `${startFds} / ${peakFds} / ${endFds}`,
      'hits memory / disk, misses': `${stats.memoryHits} / ${stats.diskHits}, ${stats.misses}`,
      'memory tier peak / budget': `${((memory?.peakBytes ?? NaN) / MB).toFixed(1)} MB / ${mb(memoryBytes)}`,
      'memory tier evictions': memory?.evictions ?? 0,
    });
  } finally {
    site.process.stdin!.end();
    await site.exited;
    await removeDir(dir);
  }
  return tally.outcome();
}

function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}

/** A full collection before each measurement, so RSS reflects what is held rather than what is not yet collected. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return () => gc?.();
}
