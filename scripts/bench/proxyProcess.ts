import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'src/cli/bin.ts');

/** `bundle-cache proxy` as its own process, so its RSS and CPU are its own. `nodeArgs`: e.g. `--cpu-prof`. */
export async function startProxyProcess(dir: string, env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []): Promise<{ child: ChildProcess; url: string; spkiSha256: string; chromiumArgs: string[] }> {
  return startListeningProcess([...nodeArgs, '--import', 'tsx', bin, 'proxy', '--port', '0', '--json', '--dir', dir], env, 'bundle-cache proxy');
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

/** `bundle-cache verify --json` on `dir`: entries checked and problems found. */
export function verifyCache(dir: string): Promise<{ checked: number; problems: number }> {
  return new Promise(resolve => execFile(process.execPath, ['--import', 'tsx', bin, 'verify', '--json', '--dir', dir], { cwd: root }, (_error, stdout) => {
    const parsed = JSON.parse(stdout) as { checked: number; problems: number };
    resolve({ checked: parsed.checked, problems: parsed.problems });
  }));
}
