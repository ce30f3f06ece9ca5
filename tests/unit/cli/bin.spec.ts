import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, expect } from './fixtures/test.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The real binary in a child process, through tsx so no build is needed. */
function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = execFile(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), ...args],
        { cwd: root, env: { ...process.env, BUNDLE_CACHE_DIR: '', ...env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
    // A pipe, not a terminal: clear must refuse without --yes.
    child.stdin?.end();
  });
}

test('should run as a process: help, JSON on stdout only, and exit codes 0, 1, 2', async ({ dir, damaged }) => {
  const [help, status, verify, clear] = await Promise.all([
    spawnCli(['--help']),
    spawnCli(['status', '--json'], { BUNDLE_CACHE_DIR: dir }),
    spawnCli(['verify', '--dir', dir]),
    spawnCli(['clear', '--bogus', '--dir', dir]),
  ]);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: bundle-cache <command> [options]');
  expect(status.code).toBe(0);
  expect(status.stderr).toBe('');
  expect(JSON.parse(status.stdout)).toMatchObject({ command: 'status', dir, summary: { entries: 4, corrupt: 1 } });
  expect(verify.code).toBe(1);
  expect(verify.stdout).toContain('3 problems found');
  expect(clear.code).toBe(2);
  expect(clear.stderr).toContain('bundle-cache clear: unknown flag --bogus');
  // stdin is a pipe here, not a terminal: clear refuses without --yes.
  const refused = await spawnCli(['clear', '--dir', dir]);
  expect(refused.code).toBe(2);
  expect(refused.stderr).toContain('refusing to clear without --yes: stdin is not a terminal');
  expect(damaged.main.url).toBeTruthy();
});
