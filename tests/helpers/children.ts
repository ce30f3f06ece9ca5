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
  /** What it wrote to stderr so far, with `keepStderr` (else stderr is inherited, and this is empty). */
  stderr(): string;
}

export interface SpawnOptions {
  /** Run as this user (needs root). */
  readonly as?: { uid: number; gid: number };
  /** Keep stderr for `stderr()` instead of passing it through (e.g. to look for secrets in DEBUG lines). */
  readonly keepStderr?: boolean;
}

/** Runs a TypeScript file of this repo in a new Node process (via tsx). */
export function spawnTs(file: string, args: string[], env: NodeJS.ProcessEnv = {}, options: SpawnOptions = {}): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, file), ...args], {
    cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', options.keepStderr ? 'pipe' : 'inherit'], ...options.as,
  });
  let stderr = '';
  child.stderr?.on('data', chunk => stderr += chunk);
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
        void exited.then(code => reject(new Error(`child ${file} exited with ${code} before printing a line${stderr ? `:\n${stderr}` : ''}`)));
      });
    },
  };
}

/** Closes each child's stdin (the end of its commands) and waits until all have exited. */
export async function endChildren(children: readonly Child[]): Promise<Array<number | null>> {
  for (const child of children)
    child.process.stdin!.end();
  return Promise.all(children.map(child => child.exited));
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
