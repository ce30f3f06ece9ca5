import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'src/cli/bin.ts');

/** `bundle-cache proxy` as its own process, so its RSS and CPU are its own. */
export async function startProxyProcess(dir: string, env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; url: string; spkiSha256: string; chromiumArgs: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', bin, 'proxy', '--port', '0', '--json', '--dir', dir], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', code => reject(new Error(`bundle-cache proxy exited with ${code}`)));
  });
  return { child, ...JSON.parse(line) as { url: string; spkiSha256: string; chromiumArgs: string[] } };
}

/** Peak RSS (VmHWM) in bytes and CPU seconds (user + system) of a process, from /proc. */
export function processUsage(pid: number): { peakRss: number; cpuSeconds: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const peakRss = Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { peakRss, cpuSeconds: ticks / 100 };
}

/** `bundle-cache verify --json` on `dir`: entries checked and problems found. */
export function verifyCache(dir: string): Promise<{ checked: number; problems: number }> {
  return new Promise(resolve => execFile(process.execPath, ['--import', 'tsx', bin, 'verify', '--json', '--dir', dir], { cwd: root }, (_error, stdout) => {
    const parsed = JSON.parse(stdout) as { checked: number; problems: number };
    resolve({ checked: parsed.checked, problems: parsed.problems });
  }));
}
