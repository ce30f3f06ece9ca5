import type { LaunchOptions } from 'playwright';
import type { LoadResult } from './modeWorker.js';
import type { BenchPage, Mode } from './modes.js';
import type { Origins } from './origins.js';
import { ModeWorker } from './workers.js';

export interface ModeRow {
  readonly page: string;
  readonly mode: string;
  readonly samples: LoadResult[];
  /** Body bytes the origin sent during each load. */
  readonly originBytes: number[];
  /** Conditional requests (If-None-Match / If-Modified-Since) the Flutter site and its CDN received during each load. */
  readonly conditional: number[];
  /** 304s they answered during each load. */
  readonly notModified: number[];
}

/**
 * Loads `page` `rounds` times in every mode, round-robin, each round in a
 * new order, so that a slow moment of the machine hits every mode alike and
 * no mode always runs right after the same other one (a rotating order kept
 * the neighbours: the memory hit always followed the persistent profile).
 */
export async function runPage(options: {
  page: BenchPage;
  modes: readonly Mode[];
  origins: Origins;
  launchOptions: LaunchOptions;
  workDir: string;
  rounds: number;
  progress: (message: string) => void;
}): Promise<ModeRow[]> {
  const { page, modes, origins, rounds, progress } = options;
  const workers: ModeWorker[] = [];
  try {
    for (const mode of modes) {
      progress(`  starting ${mode.name}`);
      const served = page.site === 'flutter' ? { throttled: origins.flutterThrottled, floor: origins.flutterFloor } : { throttled: origins.throttled, floor: origins.floor };
      workers.push(await ModeWorker.spawn({ mode: mode.name, page, origins: served, launchOptions: options.launchOptions, workDir: options.workDir }));
    }
    const rows = modes.map(mode => ({ page: page.label, mode: mode.name, samples: [] as LoadResult[], originBytes: [] as number[], conditional: [] as number[], notModified: [] as number[] }));
    for (let round = 0; round < rounds; round++) {
      progress(`  round ${round + 1}/${rounds}`);
      for (const index of roundOrder(workers.length, round)) {
        const before = await origins.bytesSent();
        rows[index]!.samples.push(await workers[index]!.load());
        const after = await origins.bytesSent();
        const row = rows[index]!;
        row.originBytes.push(after.throttled - before.throttled + after.floor - before.floor + after.flutterThrottled - before.flutterThrottled + after.flutterFloor - before.flutterFloor);
        row.conditional.push(after.conditional - before.conditional);
        row.notModified.push(after.notModified - before.notModified);
      }
    }
    return rows;
  } finally {
    await Promise.all(workers.map(worker => worker.close().catch(() => {})));
  }
}

/**
 * The order of one round: a permutation of 0..count-1, shuffled (Fisher-Yates)
 * with a generator seeded by the round, so the same run repeats the same orders.
 */
export function roundOrder(count: number, round: number): number[] {
  let seed = (round + 1) * 0x9e3779b1 >>> 0;
  const next = () => {
    // xorshift32: enough to mix an order, not a source of secrets.
    seed ^= seed << 13; seed >>>= 0;
    seed ^= seed >>> 17;
    seed ^= seed << 5; seed >>>= 0;
    return seed / 0x1_0000_0000;
  };
  const order = Array.from({ length: count }, (_, index) => index);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
