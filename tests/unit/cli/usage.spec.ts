import { test, expect } from '@playwright/test';
import { commands } from '../../../src/cli/registry.js';
import { runCli } from './fixtures/runCli.js';

test('should list every command and the common options with --help', async () => {
  const run = await runCli(['--help'], { env: { BUNDLE_CACHE_DIR: '/srv/cache' } });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toContain('Usage: bundle-cache <command> [options]\n');
  for (const name of ['status', 'list', 'show', 'versions', 'clean', 'clear', 'verify', 'warm'])
    expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
  expect(run.stdout).toContain('--dir <path>  cache directory (default: $BUNDLE_CACHE_DIR, else ./cache); here: /srv/cache\n');
  expect(run.stdout).toContain('--json');
  expect(run.stdout).toContain('Exit codes: 0 ok, 1 problems found (or nothing matched, or no cache dir there), 2 bad usage.\n');
});

test('should print each command\'s flags, arguments and examples with <cmd> --help', async () => {
  for (const { spec } of commands) {
    const run = await runCli([spec.name, '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe(`Usage: bundle-cache ${spec.usage} [--dir <path>] [--json]`);
    for (const flag of Object.keys(spec.flags))
      expect(run.stdout).toContain(`--${flag}`);
    for (const example of spec.examples ?? [])
      expect(run.stdout).toContain(`  ${example}\n`);
  }
  const list = await runCli(['list', '-h']);
  expect(list.stdout).toContain('--sort <size|age|hits>  largest, oldest or most-hit first (default: by URL)\n');
  const clear = await runCli(['clear', '--help']);
  expect(clear.stdout).toContain('-y, --yes');
});

test('should exit 2 with the usage line for a missing or unknown command', async () => {
  const none = await runCli([]);
  expect(none).toMatchObject({ code: 2, stdout: '' });
  expect(none.stderr).toBe('bundle-cache: no command given\nUsage: bundle-cache <command> [options]  (bundle-cache --help lists the commands)\n');
  const unknown = await runCli(['stauts']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.split('\n')[0]).toBe('bundle-cache: unknown command "stauts"; did you mean "status"?');
  const far = await runCli(['frobnicate', '--json']);
  expect(far.code).toBe(2);
  expect(far.stderr.split('\n')[0]).toBe('bundle-cache: unknown command "frobnicate"');
  expect(far.json()).toEqual({ command: null, error: { code: 'ERR_USAGE', message: 'unknown command "frobnicate"' } });
});

test('should exit 2 for unknown flags, missing values and values given to switches', async () => {
  const unknown = await runCli(['list', '--sotr', 'size']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr.split('\n')[0]).toBe('bundle-cache list: unknown flag --sotr; did you mean --sort?');
  expect(unknown.stderr.split('\n')[1]).toBe('Usage: bundle-cache list [--host <host>] [--expired] [--sort size|age|hits] [--limit <n>] [--dir <path>] [--json]');
  const other = await runCli(['status', '--fix']);
  expect(other.stderr.split('\n')[0]).toBe('bundle-cache status: unknown flag --fix');
  const missing = await runCli(['list', '--limit']);
  expect(missing.code).toBe(2);
  expect(missing.stderr.split('\n')[0]).toBe('bundle-cache list: --limit needs a value (<n>)');
  const switchValue = await runCli(['verify', '--fix=yes']);
  expect(switchValue.code).toBe(2);
  expect(switchValue.stderr.split('\n')[0]).toBe('bundle-cache verify: --fix takes no value');
  const json = await runCli(['list', '--sort', 'name', '--json']);
  expect(json.json()).toEqual({ command: 'list', error: { code: 'ERR_USAGE', message: '--sort must be one of size, age, hits (got "name")' } });
});

test('should print the package version', async () => {
  const run = await runCli(['--version']);
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
});
