import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { LockManager } from '../../../src/disk/locks.js';
import { readIndexFile } from './fixtures/cache.js';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

const exists = (file: string) => stat(file).then(() => true, () => false);

test('should refuse without --yes when stdin is not a terminal', async ({ dir, now, healthy }) => {
  const run = await runCli(['clear', '--dir', dir], { now, stdinIsTTY: false });
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(
      'bundle-cache clear: refusing to clear without --yes: stdin is not a terminal, so nobody can confirm\n' +
      'Usage: bundle-cache clear [--host <host>] [--yes] [--dir <path>] [--json]\n');
  expect(await exists(healthy.wasm.paths.body)).toBe(true);
});

test('should ask on a terminal and remove nothing unless answered yes', async ({ dir, now, healthy }) => {
  const asked: string[] = [];
  const no = await runCli(['clear', '--dir', dir], { now, stdinIsTTY: true, answers: [false], asked });
  expect(asked).toEqual([`Remove 5 entries (1.9 MB) from ${dir}? [y/N] `]);
  expect(no).toMatchObject({ code: 1, stdout: 'nothing removed\n' });
  expect(await exists(healthy.wasm.paths.body)).toBe(true);

  const yes = await runCli(['clear', '--dir', dir, '--host', 'cdn.example.com'], { now, stdinIsTTY: true, answers: [true], asked });
  expect(asked[1]).toBe(`Remove 2 entries (58.6 KB) of cdn.example.com from ${dir}? [y/N] `);
  expect(yes.code).toBe(0);
  expect(yes.stdout.split('\n')[0]).toMatch(/^removed 2 entries \(\d+\.\d KB\); freed \d+\.\d KB$/);
  expect(await exists(healthy.font.paths.body)).toBe(false);
  expect(await exists(healthy.wasm.paths.body)).toBe(true);
});

test('should remove every entry and its index record with --yes, keeping the history', async ({ dir, now, damaged }) => {
  const run = await runCli(['clear', '--dir', dir, '--yes', '--json'], { now });
  expect(run.code).toBe(0);
  const clear = run.json();
  expect(clear).toMatchObject({ command: 'clear', dir, host: null, aborted: false, skipped: [] });
  expect(clear.removed.map((item: { kind: string }) => item.kind).sort()).toEqual(['entry', 'entry', 'entry', 'entry', 'orphan-body', 'temp']);
  for (const host of await readdir(path.join(dir, 'v1')))
    expect(await readdir(path.join(dir, 'v1', host))).toEqual([]);
  const index = await readIndexFile(dir);
  expect(index.entries).toEqual({});
  expect(index.resources['https://app.example.com/main.dart.js']!.history).toHaveLength(1);
  expect(damaged.wasm.paths.lock).toContain(dir);
});

test('should clear one host, given with or without its port', async ({ dir, now, healthy }) => {
  const clear = (await runCli(['clear', '--host', 'app.example.com:443', '--yes', '--dir', dir, '--json'], { now })).json();
  // https's default port is dropped from URLs (and keys), so :443 names the same host.
  expect(clear.removed).toHaveLength(0);
  const byName = (await runCli(['clear', '--host', 'app.example.com', '--yes', '--dir', dir, '--json'], { now })).json();
  expect(byName.removed.map((item: { url: string }) => item.url).sort()).toEqual([healthy.canvaskitJs.url, healthy.wasm.url, healthy.main.url].sort());
  const left = (await runCli(['list', '--dir', dir, '--json'], { now })).json();
  expect(left.entries.map((entry: { host: string }) => entry.host)).toEqual(['cdn.example.com', 'cdn.example.com']);
  const text = await runCli(['clear', '--host', 'app.example.com', '--yes', '--dir', dir], { now });
  expect(text).toMatchObject({ code: 0, stdout: `no entries for app.example.com in ${dir}\n` });
});

test('should exit 1 and name what a running writer holds', async ({ dir, healthy }) => {
  const writer = new LockManager();
  await writer.acquire(healthy.wasm.paths.base, 0);
  try {
    const run = await runCli(['clear', '--yes', '--dir', dir], { now: Date.now() });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`left 1 in place:\n  ! ${healthy.wasm.url}: a running writer holds its lock; run again when it is done\n`);
    expect(await exists(healthy.wasm.paths.body)).toBe(true);
    expect(await exists(healthy.main.paths.body)).toBe(false);
  } finally {
    await writer.releaseAll();
  }
});
