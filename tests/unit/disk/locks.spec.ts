import { test, expect } from '@playwright/test';
import fs from 'node:fs/promises';
import path from 'node:path';
import { LockManager } from '../../../src/disk/locks.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

test('should let one holder in at a time and time out the others', async () => {
  const dir = await makeTempDir();
  try {
    const stem = path.join(dir, 'entry');
    const first = await new LockManager().acquire(stem, 0);
    await expect(new LockManager({ pollMs: 10 }).acquire(stem, 100)).rejects.toMatchObject({ code: 'ERR_LOCK_TIMEOUT' });
    const waiting = new LockManager({ pollMs: 10 }).acquire(stem, 5000);
    await first.release();
    const second = await waiting;
    expect(second.compromised).toBe(false);
    await second.release();
    expect(await fs.readdir(dir)).toEqual([]);
  } finally {
    await removeDir(dir);
  }
});

test('should take over a lock left by a dead process once it is stale', async () => {
  const dir = await makeTempDir();
  try {
    const stem = path.join(dir, 'entry');
    await fs.mkdir(`${stem}.lock`);
    const old = new Date(Date.now() - 20_000);
    await fs.utimes(`${stem}.lock`, old, old);
    const lock = await new LockManager({ staleMs: 10_000 }).acquire(stem, 0);
    await lock.release();
  } finally {
    await removeDir(dir);
  }
});

test('should fail at once, not after the timeout, when the directory is missing', async () => {
  const started = Date.now();
  await expect(new LockManager().acquire('/nonexistent-dir-for-test/entry', 60_000)).rejects.toMatchObject({ code: 'ERR_STORE_FAILED' });
  expect(Date.now() - started).toBeLessThan(30_000);
});

test('should release every held lock', async () => {
  const dir = await makeTempDir();
  try {
    const locks = new LockManager();
    await locks.acquire(path.join(dir, 'a'), 0);
    await locks.acquire(path.join(dir, 'b'), 0);
    expect((await fs.readdir(dir)).sort()).toEqual(['a.lock', 'b.lock']);
    await locks.releaseAll();
    expect(await fs.readdir(dir)).toEqual([]);
  } finally {
    await removeDir(dir);
  }
});
