import { test as base, expect } from '@playwright/test';
import fs from 'node:fs/promises';
import { EntryStore } from '../../../src/disk/entryStore.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeFileOps } from '../../../src/disk/fileOps.js';
import { nodeStoreFs, storeFsOver, type StoreFs } from '../../../src/disk/storeFs.js';
import { prepareRoot } from '../../../src/disk/root.js';
import { makeTempDir, removeDir, listFiles } from '../../helpers/tempDir.js';
import { faultyFs } from '../../helpers/faultyFs.js';
import { makeResponse } from './storeFixtures.js';

const test = base.extend<{ dir: string }>({
  dir: async ({}, use) => {
    const dir = await makeTempDir();
    await prepareRoot(dir, nodeStoreFs);
    await use(dir);
    await removeDir(dir);
  },
});

async function write(dir: string, response: ReturnType<typeof makeResponse>, fs: StoreFs = nodeStoreFs) {
  const store = new EntryStore(dir, fs);
  const locks = new LockManager();
  const paths = store.paths(response.meta.key, response.meta.url);
  await store.ensureDir(paths.dir);
  const lock = await locks.acquire(paths.base, 1000);
  try {
    await store.write(response, lock);
  } finally {
    await lock.release();
  }
  return paths;
}

test('should read back exactly what was written', async ({ dir }) => {
  const response = makeResponse('https://h/main.dart.js?v=1', 'console.log(1)');
  await write(dir, response);
  const read = await new EntryStore(dir, nodeStoreFs).read(response.meta.key, response.meta.url);
  expect(read).toEqual({ kind: 'found', response });
});

test('should reuse a known copy\'s bytes only while meta.json names that same body', async ({ dir }) => {
  const response = makeResponse('https://h/main.dart.js', 'build 1');
  const paths = await write(dir, response);
  const reads: string[] = [];
  const counting = storeFsOver({ ...nodeFileOps, readFile: async file => {
    reads.push(file);
    return nodeFileOps.readFile(file);
  } });
  const store = new EntryStore(dir, counting);
  // A meta.json rewritten after a 304 (new headers, same body): the known bytes, the meta on disk.
  const refreshed = { ...response.meta, headers: { ...response.meta.headers, etag: '"1"' } };
  await fs.writeFile(paths.meta, JSON.stringify(refreshed));
  const reused = await store.read(response.meta.key, response.meta.url, response);
  expect(reused).toEqual({ kind: 'found', response: { meta: refreshed, body: response.body } });
  expect(reads).toEqual([paths.meta]);
  // Another body stored since (another process): read from disk, not the known bytes.
  const next = makeResponse('https://h/main.dart.js', 'build 2', Date.parse(response.meta.storedAt) + 1000);
  await write(dir, next);
  reads.length = 0;
  expect(await store.read(response.meta.key, response.meta.url, response)).toEqual({ kind: 'found', response: next });
  expect(reads).toEqual([paths.meta, paths.body]);
  // Same sha256 but stored again (a new store time): read and hashed again as well.
  const again = makeResponse('https://h/main.dart.js', 'build 2', Date.parse(next.meta.storedAt) + 1000);
  await write(dir, again);
  reads.length = 0;
  expect(await store.read(response.meta.key, response.meta.url, next)).toEqual({ kind: 'found', response: again });
  expect(reads).toEqual([paths.meta, paths.body]);
});

test('should write files 0600 in dirs 0700, even under umask 000', async ({ dir }) => {
  const previous = process.umask(0);
  try {
    const paths = await write(dir, makeResponse('https://h/a.3f9a1c.js', 'x'));
    for (const file of [paths.body, paths.meta])
      expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    for (const folder of [dir, paths.dir, `${dir}/v1`])
      expect((await fs.stat(folder)).mode & 0o777).toBe(0o700);
  } finally {
    process.umask(previous);
  }
});

test('should report absent, and corrupt for each kind of damage', async ({ dir }) => {
  const store = new EntryStore(dir, nodeStoreFs);
  const response = makeResponse('https://h/main.dart.js', 'abcdef');
  expect(await store.read(response.meta.key, response.meta.url)).toEqual({ kind: 'absent' });
  const paths = await write(dir, response);
  const damages: Array<[string, () => Promise<void>]> = [
    ['sha256', () => fs.writeFile(paths.body, 'abcdeX')],
    ['bytes', () => fs.writeFile(paths.body, 'abc')],
    ['body unreadable', () => fs.rm(paths.body)],
    ['not valid JSON', () => fs.writeFile(paths.meta, '{"formatVersion": 1,')],
    ['format version 1', () => fs.writeFile(paths.meta, JSON.stringify({ ...response.meta, formatVersion: 2 }))],
    ['another key', () => fs.writeFile(paths.meta, JSON.stringify({ ...response.meta, key: 'GET https://other/' }))],
  ];
  for (const [reason, damage] of damages) {
    await write(dir, response);
    await damage();
    const read = await store.read(response.meta.key, response.meta.url);
    expect(read.kind, reason).toBe('corrupt');
    if (read.kind === 'corrupt') {
      expect(read.error.code).toBe('ERR_CORRUPT_ENTRY');
      expect(read.error.message).toContain(reason);
    }
  }
});

test('should keep the previous entry readable when a write fails at any step', async ({ dir }) => {
  const old = makeResponse('https://h/main.dart.js', 'old body');
  const paths = await write(dir, old);
  const newer = makeResponse('https://h/main.dart.js', 'new body, longer', Date.parse('2026-01-02T00:00:00Z'));
  for (const [method, when] of [
    ['writeFileAtomic', (file: string) => file.endsWith('.body')],
    ['writeFileAtomic', (file: string) => file.endsWith('.meta.json')],
  ] as const) {
    await expect(write(dir, newer, faultyFs(method, 'ENOSPC', when))).rejects.toMatchObject({ code: 'ERR_STORE_FAILED' });
    expect(await new EntryStore(dir, nodeStoreFs).read(old.meta.key, old.meta.url), `${method}`).toEqual({ kind: 'found', response: old });
    expect((await listFiles(dir)).filter(file => !/\.(body|meta\.json)$/.test(file) && file !== 'CACHEDIR.TAG')).toEqual([]);
  }
  expect(paths.stem).toContain('main.dart.js');
});

test('should detect a short write that reported success', async ({ dir }) => {
  // write(2) lands 3 bytes and says it wrote them all: the atomic writer's size check must catch it.
  const shortFs = storeFsOver({
    ...nodeFileOps,
    open: async (file, flags, mode) => {
      const handle = await nodeFileOps.open(file, flags, mode);
      return {
        write: async (buffer, offset, length, position) => (await handle.write(buffer, offset, Math.min(length, 3), position), { bytesWritten: length }),
        sync: () => handle.sync(),
        stat: () => handle.stat(),
        close: () => handle.close(),
      };
    },
  });
  const response = makeResponse('https://h/main.dart.js', 'a longer body');
  await expect(write(dir, response, shortFs)).rejects.toMatchObject({ code: 'ERR_STORE_FAILED' });
  expect(await new EntryStore(dir, nodeStoreFs).read(response.meta.key, response.meta.url)).toEqual({ kind: 'absent' });
});

test('should still write on a file system without hard links, where only a failed write costs the previous entry', async ({ dir }) => {
  const old = makeResponse('https://h/main.dart.js', 'old body');
  await write(dir, old);
  const noLinks = faultyFs('link', 'EPERM');
  const newer = makeResponse('https://h/main.dart.js', 'new body, longer', Date.parse('2026-01-02T00:00:00Z'));
  await write(dir, newer, noLinks);
  expect(await new EntryStore(dir, nodeStoreFs).read(newer.meta.key, newer.meta.url)).toEqual({ kind: 'found', response: newer });

  const newest = makeResponse('https://h/main.dart.js', 'newest body', Date.parse('2026-01-03T00:00:00Z'));
  const metaFails = faultyFs('writeFileAtomic', 'ENOSPC', file => file.endsWith('.meta.json'));
  await expect(write(dir, newest, { ...noLinks, writeFileAtomic: metaFails.writeFileAtomic })).rejects.toMatchObject({ code: 'ERR_STORE_FAILED' });
  // The new body landed beside the previous meta.json: a miss (corrupt), never the previous entry's meta over other bytes.
  expect((await new EntryStore(dir, nodeStoreFs).read(newer.meta.key, newer.meta.url)).kind).toBe('corrupt');
  expect((await listFiles(dir)).filter(file => !/\.(body|meta\.json)$/.test(file) && file !== 'CACHEDIR.TAG')).toEqual([]);
});

test('should remove a planted symlink instead of writing through it', async ({ dir }) => {
  const victim = `${dir}/../victim-${Date.now()}.txt`;
  await fs.writeFile(victim, 'precious');
  try {
    const response = makeResponse('https://h/main.dart.js', 'body');
    const store = new EntryStore(dir, nodeStoreFs);
    const paths = store.paths(response.meta.key, response.meta.url);
    await store.ensureDir(paths.dir);
    await fs.symlink(victim, paths.body);
    await expect(write(dir, response)).rejects.toMatchObject({ code: 'ERR_UNSAFE_PATH' });
    expect(await fs.readFile(victim, 'utf8')).toBe('precious');
    await write(dir, response);
    expect((await store.read(response.meta.key, response.meta.url)).kind).toBe('found');
    expect(await fs.readFile(victim, 'utf8')).toBe('precious');
  } finally {
    await fs.rm(victim, { force: true });
  }
});

test('should abandon a write whose lock was taken away', async ({ dir }) => {
  const store = new EntryStore(dir, nodeStoreFs);
  const response = makeResponse('https://h/main.dart.js', 'body');
  const paths = store.paths(response.meta.key, response.meta.url);
  await store.ensureDir(paths.dir);
  const lock = await new LockManager().acquire(paths.base, 0);
  // What a successor does to a lock it found stale.
  await fs.rmdir(paths.lock);
  await expect(store.write(response, lock)).rejects.toMatchObject({ code: 'ERR_LOCK_COMPROMISED' });
  await lock.release();
  expect(await store.read(response.meta.key, response.meta.url)).toEqual({ kind: 'absent' });
  expect((await listFiles(dir)).filter(file => file !== 'CACHEDIR.TAG')).toEqual([]);
});

test('should store again after its host directory was removed meanwhile', async ({ dir }) => {
  const response = makeResponse('https://h/main.dart.js', 'body');
  const paths = await write(dir, response);
  await fs.rm(paths.dir, { recursive: true });
  await write(dir, response);
  expect((await new EntryStore(dir, nodeStoreFs).read(response.meta.key, response.meta.url)).kind).toBe('found');
});

test('should report a host directory that cannot be created', async ({ dir }) => {
  const response = makeResponse('https://new-host/main.dart.js', 'body');
  await expect(write(dir, response, faultyFs('mkdir', 'EACCES'))).rejects.toMatchObject({ code: 'ERR_STORE_FAILED', message: expect.stringContaining('EACCES') });
});
