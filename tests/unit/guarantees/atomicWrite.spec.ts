import { test, expect } from '@playwright/test';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../../../src/disk/atomicWrite.js';
import { nodeFileOps, type FileOps } from '../../../src/disk/fileOps.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

// The writer behind promises 3, 4 and 9: what write-file-atomic did not do.
const test2 = test.extend<{ dir: string }>({
  dir: async ({}, use) => {
    const dir = await makeTempDir();
    await use(dir);
    await removeDir(dir);
  },
});

test2('should land every byte when write(2) writes less than asked', async ({ dir }) => {
  const ops: FileOps = {
    ...nodeFileOps,
    open: async (file, flags, mode) => {
      const handle = await nodeFileOps.open(file, flags, mode);
      return { ...handle, write: (buffer, offset, length, position) => handle.write(buffer, offset, Math.min(length, 1000), position), sync: () => handle.sync(), stat: () => handle.stat(), close: () => handle.close() };
    },
  };
  const data = Buffer.alloc(3 * 1024 * 1024 + 7, 'abc');
  await writeAtomic(ops, path.join(dir, 'file'), data, 0o600);
  expect((await fsp.readFile(path.join(dir, 'file'))).equals(data)).toBe(true);
  expect(await fsp.readdir(dir)).toEqual(['file']);
});

test2('should refuse a link planted at its temp path, leaving the victim as it was', async ({ dir }) => {
  const victim = path.join(dir, 'victim');
  await fsp.writeFile(victim, 'precious');
  const ops: FileOps = {
    ...nodeFileOps,
    open: async (file, flags, mode) => {
      await fsp.symlink(victim, file);
      return nodeFileOps.open(file, flags, mode);
    },
  };
  await expect(writeAtomic(ops, path.join(dir, 'file'), 'cache body', 0o600)).rejects.toMatchObject({ code: 'ERR_UNSAFE_PATH' });
  expect(await fsp.readFile(victim, 'utf8')).toBe('precious');
  expect((await fsp.readdir(dir)).sort()).toEqual(['victim']);
});

test2('should leave the destination and no temp file when told to back out before the rename', async ({ dir }) => {
  const file = path.join(dir, 'file');
  await fsp.writeFile(file, 'old');
  const lost = Object.assign(new Error('lock lost'), { code: 'ERR_LOCK_COMPROMISED' });
  await expect(writeAtomic(nodeFileOps, file, 'new', 0o600, async () => {
    throw lost;
  })).rejects.toBe(lost);
  expect(await fsp.readFile(file, 'utf8')).toBe('old');
  expect(await fsp.readdir(dir)).toEqual(['file']);
});

test2('should use a new, unpredictable temp name for every write', async ({ dir }) => {
  const names: string[] = [];
  const ops: FileOps = { ...nodeFileOps, open: (file, flags, mode) => (names.push(path.basename(file)), nodeFileOps.open(file, flags, mode)) };
  for (let i = 0; i < 3; i++)
    await writeAtomic(ops, path.join(dir, 'file'), `v${i}`, 0o600);
  const temps = names.filter(name => name !== path.basename(dir));
  expect(temps).toHaveLength(3);
  expect(new Set(temps).size).toBe(3);
  for (const name of temps)
    expect(name).toMatch(/^file\.\d{6,}$/);
});
