import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LoadResult, WorkerArgs, WorkerCommand } from './modeWorker.js';

/** The parent's handle on a mode worker process. */
export class ModeWorker {
  readonly mode: string;
  readonly #child: ChildProcess;

  private constructor(mode: string, child: ChildProcess) {
    this.mode = mode;
    this.#child = child;
  }

  static async spawn(args: WorkerArgs): Promise<ModeWorker> {
    const child = fork(path.join(import.meta.dirname, 'modeWorker.ts'), [JSON.stringify(args)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const worker = new ModeWorker(args.mode, child);
    await worker.#reply();
    await worker.#send('start');
    return worker;
  }

  async load(): Promise<LoadResult> {
    return (await this.#send('load')).result!;
  }

  async close(): Promise<void> {
    await this.#send('close');
  }

  async #send(command: WorkerCommand): Promise<{ result?: LoadResult }> {
    this.#child.send(command);
    return this.#reply();
  }

  #reply(): Promise<{ result?: LoadResult }> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`${this.mode}: worker exited with ${code}`));
      this.#child.once('exit', onExit);
      this.#child.once('message', (message: { ok: boolean; error?: string; result?: LoadResult }) => {
        this.#child.off('exit', onExit);
        if (message.ok)
          resolve(message);
        else
          reject(new Error(`${this.mode}: ${message.error}`));
      });
    });
  }
}
