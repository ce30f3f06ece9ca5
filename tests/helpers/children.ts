import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../..');

export interface Child {
  readonly process: ChildProcess;
  /** Resolves with the next stdout line. */
  nextLine(): Promise<string>;
  /** Resolves when the process exits, with its code. */
  readonly exited: Promise<number | null>;
}

/** Runs a TypeScript file of this repo in a new Node process (via tsx), as this user or as `as` (which needs root). */
export function spawnTs(file: string, args: string[], env: NodeJS.ProcessEnv = {}, as?: { uid: number; gid: number }): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'], ...as });
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  readline.createInterface({ input: child.stdout! }).on('line', line => {
    const waiter = waiters.shift();
    if (waiter)
      waiter(line);
    else
      lines.push(line);
  });
  const exited = new Promise<number | null>(resolve => child.once('exit', code => resolve(code)));
  return {
    process: child,
    exited,
    nextLine: () => {
      const line = lines.shift();
      if (line !== undefined)
        return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        waiters.push(resolve);
        void exited.then(code => reject(new Error(`child ${file} exited with ${code} before printing a line`)));
      });
    },
  };
}
