/**
 * `npm test`'s static checks — the type check, ESLint, dependency-cruiser —
 * run side by side (each uses one core), each one's output printed whole
 * when it ends. Exits 1 when any of them failed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

const CHECKS: ReadonlyArray<{ name: string; command: string; args: string[] }> = [
  { name: 'tsc', command: bin('tsc'), args: ['-p', 'tsconfig.json', '--noEmit'] },
  { name: 'eslint', command: bin('eslint'), args: ['.'] },
  { name: 'dependency-cruiser', command: bin('depcruise'), args: ['src', '--config', '.dependency-cruiser.mjs', '--output-type', 'err-long'] },
];

function run(check: typeof CHECKS[number]): Promise<boolean> {
  const started = performance.now();
  return new Promise(resolve => {
    const child = spawn(check.command, check.args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', chunk => output += chunk);
    child.stderr.on('data', chunk => output += chunk);
    child.once('error', error => {
      process.stdout.write(`${check.name}: could not start ${check.command} (${error.message}); run npm ci first\n`);
      resolve(false);
    });
    child.once('close', code => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${check.name}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${seconds} s\n${output}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(CHECKS.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
