import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LockManager } from '../../../src/disk/locks.js';
import { readIndexFile } from './fixtures/cache.js';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

const exists = (file: string) => stat(file).then(() => true, () => false);

test('should remove expired entries, orphans, temp files and stale locks, and say what it freed', async ({ dir, now, damaged }) => {
  const { code, stdout, stderr } = await runCli(['clean', '--dir', dir], { now });
  expect(code).toBe(0);
  expect(stderr).toBe('');
  expect(stdout.split('\n')[0]).toBe('removed 1 expired entry (20.3 KB), 1 stale lock, 1 temp file (12 B), 1 body without meta.json (303 KB); freed 323 KB');
  expect(stdout).toContain(`  - ${damaged.old.url}\n`);
  expect(stdout).toContain(`  - ${damaged.main.paths.stem}.body\n`);
  expect(stdout).toContain(`  - ${damaged.wasm.paths.stem}.body.12345\n`);
  expect(stdout).toContain(`  - ${damaged.wasm.paths.stem}.lock\n`);

  expect(await exists(damaged.old.paths.body)).toBe(false);
  expect(await exists(damaged.old.paths.meta)).toBe(false);
  expect(await exists(damaged.main.paths.body)).toBe(false);
  expect(await exists(damaged.wasm.paths.lock)).toBe(false);
  expect(await exists(`${damaged.wasm.paths.body}.12345`)).toBe(false);
  // Untouched: the live entry next to the temp file and lock, and corrupt entries (verify --fix's job).
  expect(await exists(damaged.wasm.paths.body)).toBe(true);
  expect(await exists(damaged.font.paths.meta)).toBe(true);
  expect(Object.keys((await readIndexFile(dir)).entries)).not.toContain(damaged.old.key);

  const again = await runCli(['clean', '--dir', dir], { now });
  expect(again).toMatchObject({ code: 0, stdout: `nothing to clean in ${dir}\n` });
});

test('should report the removals as JSON', async ({ dir, now, damaged }) => {
  const clean = (await runCli(['clean', '--dir', dir, '--json'], { now })).json();
  expect(clean).toMatchObject({ command: 'clean', dir, skipped: [], writing: [] });
  expect(clean.removed).toEqual(expect.arrayContaining([
    { kind: 'expired', path: damaged.old.paths.stem, url: damaged.old.url, bytes: expect.any(Number) },
    { kind: 'orphan-body', path: `${damaged.main.paths.stem}.body`, url: null, bytes: 310_000 },
    { kind: 'temp', path: `${damaged.wasm.paths.stem}.body.12345`, url: null, bytes: 12 },
    { kind: 'stale-lock', path: `${damaged.wasm.paths.stem}.lock`, url: null, bytes: 0 },
  ]));
  expect(clean.removed).toHaveLength(4);
  const expired = clean.removed.find((item: { kind: string }) => item.kind === 'expired');
  // The body and its meta.json.
  expect(expired.bytes).toBeGreaterThan(20_000);
  expect(clean.freedBytes).toBe(expired.bytes + 310_000 + 12);
});

test('should remove a meta.json whose body is gone, and the index\'s temp files and stale lock', async ({ dir, now, healthy }) => {
  const { rm, utimes } = await import('node:fs/promises');
  await rm(healthy.font.paths.body);
  await writeFile(path.join(dir, 'cache_versions.json.4242'), '{"half":');
  await mkdir(path.join(dir, 'cache_versions.json.lock'));
  const old = new Date(now - 60_000);
  await utimes(path.join(dir, 'cache_versions.json.lock'), old, old);
  const clean = (await runCli(['clean', '--dir', dir, '--json'], { now })).json();
  expect(clean.removed.map((item: { kind: string; path: string }) => `${item.kind} ${item.path}`).sort()).toEqual([
    `expired ${healthy.old.paths.stem}`,
    `orphan-meta ${healthy.font.paths.stem}.meta.json`,
    'stale-lock cache_versions.json.lock',
    'temp cache_versions.json.4242',
  ]);
  expect((await readdir(dir)).sort()).toEqual(['CACHEDIR.TAG', 'cache_versions.json', 'v1']);
  expect(Object.keys((await readIndexFile(dir)).entries)).not.toContain(healthy.font.key);
});

test('should leave alone what a running writer holds, and say so', async ({ dir, damaged }) => {
  const writer = new LockManager();
  // A writer refreshing an expired entry, and one between the body and meta renames of main.dart.js.
  await writer.acquire(damaged.old.paths.base, 0);
  await writer.acquire(damaged.main.paths.base, 0);
  try {
    const run = await runCli(['clean', '--dir', dir], { now: Date.now() });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`left 1 in place:\n  ! ${damaged.old.url}: a running writer holds its lock; run again when it is done\n`);
    expect(run.stdout).toContain(`left alone 1 entry being written right now:\n  ~ ${damaged.main.paths.stem}\n`);
    expect(await exists(damaged.old.paths.meta)).toBe(true);
    expect(await exists(damaged.main.paths.body)).toBe(true);
    const json = (await runCli(['clean', '--dir', dir, '--json'], { now: Date.now() })).json();
    expect(json.skipped).toEqual([{ kind: 'expired', path: damaged.old.paths.stem, url: damaged.old.url, reason: 'busy' }]);
    expect(json.writing).toEqual([damaged.main.paths.stem]);
  } finally {
    await writer.releaseAll();
  }
});
