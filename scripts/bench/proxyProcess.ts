import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { VerifyResult } from '../../src/cli/commands/verifyCommand.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'src/cli/bin.ts');

/** `bundle-cache proxy` as its own process, so its RSS and CPU are its own. `nodeArgs`: e.g. `--cpu-prof`. */
/** `checkout`: another checkout of this project (its src/cli/bin.ts), to compare two versions in one run. */
export async function startProxyProcess(dir: string, env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = [], checkout?: string): Promise<{ child: ChildProcess; url: string; spkiSha256: string; chromiumArgs: string[] }> {
  const entry = checkout ? path.resolve(checkout, 'src/cli/bin.ts') : bin;
  return startListeningProcess([...nodeArgs, '--import', 'tsx', entry, 'proxy', '--port', '0', '--json', '--dir', dir], env, 'bundle-cache proxy');
}

/** A Node process that prints one line of JSON with its `url` once it listens. */
export async function startListeningProcess<T extends { url: string }>(args: readonly string[], env: NodeJS.ProcessEnv, name: string): Promise<{ child: ChildProcess } & T> {
  const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', code => reject(new Error(`${name} exited with ${code}`)));
  });
  return { child, ...JSON.parse(line) as T };
}

/** Peak RSS (VmHWM) in bytes and CPU seconds (user + system, and each) of a process, from /proc. */
export function processUsage(pid: number): { peakRss: number; cpuSeconds: number; userSeconds: number; systemSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peakRss = Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const [user, system] = [Number(fields[11]) / 100, Number(fields[12]) / 100];
  return { peakRss, cpuSeconds: user + system, userSeconds: user, systemSeconds: system };
}

/** `bundle-cache verify --json` on `dir`: entries checked, corrupt ones, problems, entries being written (lock fresh) and leftovers (orphans, temp files, stale locks). */
export function verifyCache(dir: string): Promise<{ checked: number; corrupt: number; problems: number; writing: number; leftovers: string }> {
  return new Promise(resolve => execFile(process.execPath, ['--import', 'tsx', bin, 'verify', '--json', '--dir', dir], { cwd: root }, (_error, stdout) => {
    const parsed = JSON.parse(stdout) as VerifyResult;
    const { orphans, temps, staleLocks } = parsed.leftovers;
    const leftovers = [[orphans, 'orphan'], [temps, 'temp'], [staleLocks, 'stale lock']].filter(([count]) => count).map(([count, kind]) => `${count} ${kind}`).join(', ') || '0';
    resolve({ checked: parsed.checked, corrupt: parsed.corrupt.length, problems: parsed.problems, writing: parsed.writing.length, leftovers });
  }));
}
