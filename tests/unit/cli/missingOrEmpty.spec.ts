import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BundleCache } from '../../../src/index.js';
import { listFiles } from '../../helpers/tempDir.js';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

/** Every command that reads a cache (warm fills one, creating its dir). */
const READERS = [['status'], ['list'], ['show', 'main.dart.js'], ['versions'], ['clean'], ['clear', '--yes'], ['verify'], ['verify', '--fix']];
const MISSING_FIX = 'Fix: check the path (--dir, $BUNDLE_CACHE_DIR); a cache dir is created by its first use (BundleCache.open(), the test fixture, or `bundle-cache warm`).';

test('should say plainly that a --dir does not exist, the same way in every command, and exit 1', async ({ dir }) => {
  for (const command of READERS) {
    const name = command[0]!;
    const run = await runCli([...command, '--dir', dir]);
    expect(run, command.join(' ')).toEqual({
      code: 1,
      stdout: '',
      stderr: `bundle-cache ${name}: no cache at ${dir}: the directory does not exist (from --dir). ${MISSING_FIX}\n`,
      json: expect.any(Function),
    });
    const json = await runCli([...command, '--dir', dir, '--json']);
    expect(json.code).toBe(1);
    expect(json.json()).toEqual({ command: name, error: { code: 'ERR_NO_CACHE', message: expect.stringContaining(`no cache at ${dir}: the directory does not exist`) } });
  }
  // Nothing was created on the way (verify --fix used to try a lock there).
  expect(await readdir(path.dirname(dir))).toEqual([]);
});

test('should say where the missing dir came from: $BUNDLE_CACHE_DIR, or the default in the working directory', async ({ dir }) => {
  const fromEnv = await runCli(['verify'], { env: { BUNDLE_CACHE_DIR: dir } });
  expect(fromEnv.code).toBe(1);
  expect(fromEnv.stderr).toBe(`bundle-cache verify: no cache at ${dir}: the directory does not exist (from $BUNDLE_CACHE_DIR). ${MISSING_FIX}\n`);
  const byDefault = await runCli(['status'], { cwd: path.dirname(dir) });
  expect(byDefault.stderr).toBe(`bundle-cache status: no cache at ${path.join(path.dirname(dir), 'cache')}: the directory does not exist (the default ./cache, in the working directory). ${MISSING_FIX}\n`);
});

test('should tell a file or a path under a file from a cache dir', async ({ dir }) => {
  await writeFile(dir, 'not a cache');
  const file = await runCli(['list', '--dir', dir]);
  expect(file).toMatchObject({ code: 1, stdout: '', stderr: `bundle-cache list: no cache at ${dir}: it is a file, not a directory (from --dir). Fix: pass the cache directory itself (--dir, $BUNDLE_CACHE_DIR).\n` });
  const under = await runCli(['verify', '--dir', path.join(dir, 'cache')]);
  expect(under).toMatchObject({ code: 1, stderr: expect.stringContaining(`no cache at ${path.join(dir, 'cache')}: the directory does not exist`) });
});

test('should still report bad usage before a missing dir', async ({ dir }) => {
  const run = await runCli(['list', '--sort', 'colour', '--dir', dir]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('--sort must be one of');
});

for (const [kind, make] of [
  ['a new cache, as BundleCache.open() leaves it', async (dir: string) => (await BundleCache.open({ dir })).close()],
  ['an empty directory', (dir: string) => mkdir(dir).then(() => {})],
] as const) {
  test(`should treat ${kind} as an empty cache: verify passes, and every command says it is empty`, async ({ dir, now }) => {
    await make(dir);
    const before = await listFiles(dir);
    const verify = await runCli(['verify', '--dir', dir], { now });
    expect(verify).toMatchObject({ code: 0, stderr: '', stdout: 'checked 0 entries (0 B): meta.json, key, size and sha256\nno problems found\n' });
    expect((await runCli(['verify', '--dir', dir, '--json'], { now })).json()).toMatchObject({ problems: 0, unfixed: 0, index: { state: 'missing', problems: [], rebuilt: false } });
    expect(await runCli(['verify', '--fix', '--dir', dir], { now })).toMatchObject({ code: 0, stdout: expect.stringContaining('no problems found\n') });
    const status = await runCli(['status', '--dir', dir], { now });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`dir         ${dir}\nformat      v1, empty (nothing stored yet)\nentries     0 (fresh 0, expired 0, corrupt 0)\n`);
    expect(status.stdout).not.toContain('URL');
    expect(await runCli(['list', '--dir', dir], { now })).toMatchObject({ code: 0, stdout: `the cache at ${dir} is empty\n` });
    expect(await runCli(['show', 'main.dart.js', '--dir', dir], { now })).toMatchObject({ code: 1, stderr: `bundle-cache show: no entry matches "main.dart.js": the cache at ${dir} is empty\n` });
    expect(await runCli(['versions', '--dir', dir], { now })).toMatchObject({ code: 0, stdout: `no versions recorded in ${dir} yet\n` });
    expect(await runCli(['clean', '--dir', dir], { now })).toMatchObject({ code: 0, stdout: `nothing to clean in ${dir}\n` });
    expect(await runCli(['clear', '--yes', '--dir', dir], { now })).toMatchObject({ code: 0, stdout: `the cache at ${dir} is empty: nothing to clear\n` });
    // Reading an empty cache, even with --fix, writes nothing into it.
    expect(await listFiles(dir)).toEqual(before);
  });
}
