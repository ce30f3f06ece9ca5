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
 * Loads `page` `rounds` times in every mode, round-robin (the order rotates
 * each round), so that a slow moment of the machine hits every mode alike.
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
      for (let i = 0; i < workers.length; i++) {
        const index = (i + round) % workers.length;
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
