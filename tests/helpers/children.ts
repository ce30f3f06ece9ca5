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

/** Starts `count` children of `file`, waits until each says "ready", then says "go" to all at once (see `nextStdinLine`). */
export async function startTogether(file: string, argsOf: (index: number) => string[], count: number): Promise<Child[]> {
  const children = Array.from({ length: count }, (_, index) => spawnTs(file, argsOf(index)));
  for (const child of children) {
    const line = await child.nextLine();
    if (line !== 'ready')
      throw new Error(`${file} said ${JSON.stringify(line)} instead of "ready"`);
  }
  for (const child of children)
    child.process.stdin!.end('go\n');
  return children;
}

/** The child's next line, parsed as JSON (undefined if it printed none, or not JSON), and its exit code. */
export async function finish<T>(child: Child): Promise<{ result: T | undefined; code: number | null }> {
  const line = await child.nextLine().catch(() => undefined);
  const code = await child.exited;
  try {
    return { result: line === undefined ? undefined : JSON.parse(line) as T, code };
  } catch {
    return { result: undefined, code };
  }
}
