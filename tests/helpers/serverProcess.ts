import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/**
 * What the Redis and nginx helpers share: a free loopback port, a binary
 * found on a brand-new machine, and children that never outlive the test
 * process, even when a test fails before it stops them.
 */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live)
    child.kill('SIGKILL');
});

export function findBinary(name: string, candidates: readonly string[], install: string): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const found = [...candidates, ...dirs.map(dir => path.join(dir, name))].find(file => existsSync(file));
  if (!found)
    throw new Error(`${name} not found (looked in ${candidates.join(', ')} and PATH). Fix: ${install} (bash .ci/run installs it).`);
  return found;
}

/** A port that was free a moment ago; callers retry on EADDRINUSE, since another process may take it first. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>(resolve => server.close(() => resolve()));
  return port;
}

export interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** What the process printed, for error messages. */
  output(): string;
}

export function startProcess(binary: string, args: readonly string[], cwd: string): Started {
  const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout!.on('data', append);
  child.stderr!.on('data', append);
  const exited = new Promise<number | null>(resolve => {
    child.once('error', error => {
      append(Buffer.from(String(error)));
      live.delete(child);
      resolve(null);
    });
    child.once('exit', code => {
      live.delete(child);
      resolve(code);
    });
  });
  return { child, exited, output: () => output };
}

/** Sends `signal`, then SIGKILL if the process is still there after `graceMs`; resolves once it has exited. */
export async function stopProcess(started: Started, signal: NodeJS.Signals, graceMs = 5_000): Promise<void> {
  if (started.child.exitCode !== null || started.child.signalCode !== null)
    return;
  started.child.kill(signal);
  const timer = setTimeout(() => started.child.kill('SIGKILL'), graceMs);
  await started.exited;
  clearTimeout(timer);
}

/** Resolves when `ready()` is true; rejects if the process exits first or `timeoutMs` passes. */
export async function waitUntil(started: Started, what: string, ready: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitCode: number | null | undefined;
  void started.exited.then(code => {
    exitCode = code;
  });
  for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
    if (exitCode !== undefined)
      throw new Error(`${what} exited with ${exitCode} before it was ready:\n${started.output()}`);
    if (await ready())
      return;
    if (Date.now() > deadline)
      throw new Error(`${what} was not ready after ${timeoutMs} ms:\n${started.output()}`);
    await new Promise(resolve => setTimeout(resolve, delay));
  }
}

export function isAddressInUse(output: string): boolean {
  return /address already in use/i.test(output);
}
