/**
 * `npm test`'s static checks — the type check, ESLint, dependency-cruiser —
 * run side by side (each uses one core), each one's output printed whole
 * when it ends. Exits 1 when any of them failed.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

// package.json's scripts of the checks: their commands are written there once.
const CHECKS = ['typecheck', 'lint', 'lint:deps'];

function run(script: string): Promise<boolean> {
  const started = performance.now();
  return new Promise(resolve => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', chunk => output += chunk);
    child.stderr.on('data', chunk => output += chunk);
    child.once('error', error => {
      process.stdout.write(`${script}: could not start npm (${error.message})\n`);
      resolve(false);
    });
    child.once('close', code => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      process.stdout.write(`${script}: ${code === 0 ? 'ok' : `failed (exit ${code})`} in ${seconds} s\n${output}`);
      resolve(code === 0);
    });
  });
}

const results = await Promise.all(CHECKS.map(run));
process.exit(results.every(Boolean) ? 0 : 1);
