import { test, expect } from '@playwright/test';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { LockManager } from '../../../src/disk/locks.js';
import { spawnTs } from '../../helpers/children.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

// The lock checks behind promise 6: a holder can tell, before it renames, that its lock is gone.
const test2 = test.extend<{ stem: string }>({
  stem: async ({}, use) => {
    const dir = await makeTempDir();
    await use(path.join(dir, 'entry'));
    await removeDir(dir);
  },
});

async function makeStale(lockPath: string): Promise<void> {
  const old = new Date(Date.now() - 60_000);
  await fsp.utimes(lockPath, old, old);
}

test2('should fail verify() once another process took the lock over, and leave that process\'s lock alone', async ({ stem }) => {
  const first = await new LockManager({ staleMs: 2000 }).acquire(stem, 0);
  await expect(first.verify()).resolves.toBeUndefined();
  // What a frozen event loop does to a lock, without freezing this process.
  await makeStale(first.path);
  const other = spawnTs('scripts/stress/children/holdLock.ts', [stem, '2000']);
  expect(await other.nextLine()).toBe('held');
  await expect(first.verify()).rejects.toMatchObject({ code: 'ERR_LOCK_COMPROMISED', message: expect.stringContaining('took it over') });
  expect(first.compromised).toBe(true);
  await first.release();
  other.process.stdin!.write('verify\n');
  expect(await other.nextLine()).toBe('ours');
  other.process.stdin!.write('release\n');
  expect(await other.nextLine()).toBe('released');
  expect(await other.exited).toBe(0);
  await expect(fsp.stat(`${stem}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
});

test2('should distrust a lock its own frozen event loop could not refresh', async ({ stem }) => {
  const lock = await new LockManager({ staleMs: 2000 }).acquire(stem, 0);
  // Nobody took it over, but anyone may soon: it trusts 1.5 s of the 2 s stale time, counted from the
  // lock's mtime, which proper-lockfile's first lock sets up to 1 s ahead.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2600);
  await expect(lock.verify()).rejects.toMatchObject({ code: 'ERR_LOCK_COMPROMISED', message: expect.stringContaining('refreshed') });
  await lock.release();
  await expect(fsp.stat(`${stem}.lock`)).rejects.toMatchObject({ code: 'ENOENT' });
});

test2('should make lock directories 0700 under umask 000', async ({ stem }) => {
  const previous = process.umask(0);
  try {
    const lock = await new LockManager().acquire(stem, 0);
    expect((await fsp.stat(lock.path)).mode & 0o777).toBe(0o700);
    await lock.release();
  } finally {
    process.umask(previous);
  }
});
