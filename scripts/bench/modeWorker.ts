// One benchmark mode on one page, in a process of its own, so its Node CPU
// and peak RSS are its own. The parent drives it over IPC: start, load..., close.
import { chromium, type LaunchOptions } from 'playwright';
import { MODES, type BenchPage, type RunningMode } from './modes.js';

export interface WorkerArgs {
  mode: string;
  page: BenchPage;
  origins: { throttled: string; floor: string };
  launchOptions: LaunchOptions;
  workDir: string;
}

export type WorkerCommand = 'start' | 'load' | 'close';
export interface LoadResult {
  ms: number;
  /** Node CPU (user + system) spent by this process during the load, in ms. */
  cpuMs: number;
  /** Peak resident set size of this process so far, in bytes. */
  peakRssBytes: number;
}

if (process.send) {
  const args = JSON.parse(process.argv[2]!) as WorkerArgs;
  const mode = MODES.find(candidate => candidate.name === args.mode)!;
  const browser = await chromium.launch(args.launchOptions);
  let running: RunningMode | undefined;
  process.on('message', async (command: WorkerCommand) => {
    try {
      if (command === 'start') {
        running = await mode.start({ browser, launchOptions: args.launchOptions, origins: args.origins, workDir: args.workDir }, args.page);
        process.send!({ ok: true });
      } else if (command === 'load') {
        const cpu = process.cpuUsage();
        const ms = await running!.load();
        const used = process.cpuUsage(cpu);
        process.send!({ ok: true, result: { ms, cpuMs: (used.user + used.system) / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 } satisfies LoadResult });
      } else {
        await running?.close();
        await browser.close();
        process.send!({ ok: true }, () => process.exit(0));
      }
    } catch (error) {
      process.send!({ ok: false, error: String((error as Error).stack ?? error) });
    }
  });
  process.send({ ok: true });
}
