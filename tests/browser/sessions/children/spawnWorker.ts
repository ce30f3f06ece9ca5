import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '../../../..');

export interface Worker {
  readonly process: ChildProcess;
  /** Resolves with the next stdout line. */
  nextLine(): Promise<string>;
  readonly exited: Promise<number | null>;
  /** Everything it wrote to stderr (its DEBUG lines), once it exited. */
  stderr(): string;
}

/** Runs sessionWorker.ts in a new Node process, with `DEBUG=bundle-cache` and its stderr kept. */
export function spawnWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'sessionWorker.ts'), ...args], {
    cwd: ROOT, env: { ...process.env, DEBUG: 'bundle-cache' }, stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', chunk => stderr += chunk);
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
    stderr: () => stderr,
    nextLine: () => {
      const line = lines.shift();
      if (line !== undefined)
        return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        waiters.push(resolve);
        void exited.then(code => reject(new Error(`the session worker exited with ${code} before printing a line:\n${stderr}`)));
      });
    },
  };
}
