import { test, expect } from '@playwright/test';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { BundleCache } from '../../../src/index.js';
import { BundleCacheError } from '../../../src/errors.js';
import { prepareRoot } from '../../../src/disk/root.js';
import { nodeStoreFs, type StoreFs } from '../../../src/disk/storeFs.js';
import { spawnTs } from '../../helpers/children.js';
import { faultyFs } from '../../helpers/faultyFs.js';
import { listFiles, makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { bytes, writeEntry } from '../cli/fixtures/cache.js';

const NOBODY = { uid: 65534, gid: 65534 };
const isRoot = process.getuid?.() === 0;

let scratch: string;
test.beforeEach(async () => {
  scratch = await makeTempDir('bundle-cache-root-');
});
test.afterEach(async () => {
  await removeDir(scratch);
});

async function rootError(dir: string, fs: StoreFs = nodeStoreFs): Promise<BundleCacheError> {
  const error = await prepareRoot(dir, fs).then(() => undefined, (error: unknown) => error);
  expect(error).toBeInstanceOf(BundleCacheError);
  return error as BundleCacheError;
}

/** Every file under `dir` with its bytes and mode, to show an error path changed nothing. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files = await listFiles(dir);
  const mode = async (file: string) => ((await fsp.lstat(file)).mode & 0o7777).toString(8);
  return Object.fromEntries([
    ['.', await mode(dir)],
    ...await Promise.all(files.map(async file => [file, `${await mode(path.join(dir, file))} ${(await fsp.readFile(path.join(dir, file))).toString('base64')}`])),
  ]);
}

function expectDirOption(error: BundleCacheError, dir: string): void {
  expect(error.code).toBe('ERR_OPTIONS');
  expect(error.details).toMatchObject({ option: 'dir', path: dir });
  expect(error.message).toContain('option "dir"');
  expect(error.message).toContain(dir);
  expect(error.message).toContain('Fix: ');
}

test('should name the file in the way when dir is under a regular file, and leave the file alone', async () => {
  const file = path.join(scratch, 'notes.txt');
  await fsp.writeFile(file, 'keep me');
  for (const dir of [path.join(file, 'cache'), path.join(file, 'a', 'b', 'cache')]) {
    const error = await rootError(dir);
    expectDirOption(error, dir);
    expect(error.details).toMatchObject({ errno: 'ENOTDIR', blockedAt: file });
    expect(error.message).toContain(`${file} is a file, not a directory (ENOTDIR)`);
    expect(error.message).toContain(`move ${file} out of the way`);
  }
  const error = await rootError(file);
  expectDirOption(error, file);
  expect(error.message).toContain(`the cache dir ${file} exists and is not a directory`);
  expect(await fsp.readFile(file, 'utf8')).toBe('keep me');
});

test('should say so when dir goes through a loop of symbolic links', async () => {
  await fsp.symlink(path.join(scratch, 'b'), path.join(scratch, 'a'));
  await fsp.symlink(path.join(scratch, 'a'), path.join(scratch, 'b'));
  const dir = path.join(scratch, 'a', 'cache');
  const error = await rootError(dir);
  expectDirOption(error, dir);
  expect(error.details.errno).toBe('ELOOP');
  expect(error.message).toContain('loop of symbolic links');
});

test('should say what the file system refused, for each errno, with a fix', async () => {
  const cases: Array<[method: keyof StoreFs, code: string, says: string]> = [
    ['mkdir', 'EACCES', 'cannot create the cache dir'],
    ['mkdir', 'EPERM', 'permission denied'],
    ['mkdir', 'EROFS', 'read-only'],
    ['mkdir', 'ENOSPC', 'full'],
    ['writeFileAtomic', 'EDQUOT', 'cannot write CACHEDIR.TAG in the cache dir'],
    ['mkdir', 'EIO', 'the file system refused it: EIO: injected fault'],
    ['lstat', 'EACCES', 'cannot reach the cache dir'],
  ];
  for (const [method, code, says] of cases) {
    const dir = path.join(scratch, `cache-${method}-${code}`);
    const error = await rootError(dir, faultyFs(method, code, at => at.startsWith(dir)));
    expectDirOption(error, dir);
    expect(error.details.errno, `${method} ${code}`).toBe(code);
    expect(error.message, `${method} ${code}`).toContain(says);
    expect(error.message, `${method} ${code}`).toContain(`(${code})`);
    expect((error.cause as { code?: string }).code).toBe(code);
  }
});

test('should change nothing already stored when the cache dir cannot be used', async () => {
  const dir = path.join(scratch, 'cache');
  await writeEntry(dir, { url: 'https://app.example.com/main.dart.js?v=1', body: bytes(5000, 'main'), storedAt: Date.now() });
  await fsp.rm(path.join(dir, 'CACHEDIR.TAG'));
  await fsp.chmod(dir, 0o750);
  const before = await snapshot(dir);
  const error = await rootError(dir, faultyFs('writeFileAtomic', 'EACCES'));
  expectDirOption(error, dir);
  // The root was ours, so it was made private first: that is the only change.
  expect(await snapshot(dir)).toEqual({ ...before, '.': '700' });
});

test('should refuse a shared sticky directory (like /tmp) instead of making it private', async () => {
  const dir = path.join(scratch, 'shared');
  await fsp.mkdir(dir);
  await fsp.chmod(dir, 0o1777);
  const error = await rootError(dir);
  expectDirOption(error, dir);
  expect(error.message).toContain(`pass a subdirectory of it as \`dir\`, e.g. ${path.join(dir, 'bundle-cache')}`);
  expect((await fsp.lstat(dir)).mode & 0o7777).toBe(0o1777);
  expect(await fsp.readdir(dir)).toEqual([]);
});

test('should make a directory of ours that others can read private', async () => {
  const dir = path.join(scratch, 'ours');
  await fsp.mkdir(dir);
  await fsp.chmod(dir, 0o777);
  await prepareRoot(dir, nodeStoreFs);
  expect((await fsp.lstat(dir)).mode & 0o777).toBe(0o700);
  expect(await fsp.readdir(dir)).toEqual(['CACHEDIR.TAG']);
});

test.describe('with another user', () => {
  test.skip(!isRoot, 'needs root, to chown and to run a process as another user');

  test('should refuse a cache dir that another user owns and others can write to, changing nothing', async () => {
    const dir = path.join(scratch, 'theirs');
    await fsp.mkdir(dir);
    await fsp.writeFile(path.join(dir, 'their-file'), 'theirs');
    await fsp.chown(dir, NOBODY.uid, NOBODY.gid);
    await fsp.chmod(dir, 0o777);
    const before = await snapshot(dir);
    const error = await BundleCache.open({ dir }).then(() => undefined, (error: unknown) => error as BundleCacheError);
    expect(error).toBeInstanceOf(BundleCacheError);
    expect(error!.code).toBe('ERR_UNSAFE_PATH');
    expect(error!.details).toMatchObject({ path: dir, uid: NOBODY.uid });
    expect(error!.message).toBe(`Cache dir ${dir} belongs to another user and others can write to it. Fix: pass a \`dir\` of your own.`);
    expect(await snapshot(dir)).toEqual(before);
    expect((await fsp.lstat(dir)).uid).toBe(NOBODY.uid);
  });

  test('should open a cache dir another user owns when only its owner can write to it', async () => {
    // Root may write anywhere; the refusal is about others being able to swap files in.
    const dir = path.join(scratch, 'theirs-closed');
    await fsp.mkdir(dir);
    await fsp.chown(dir, NOBODY.uid, NOBODY.gid);
    await fsp.chmod(dir, 0o755);
    const cache = await BundleCache.open({ dir });
    await cache.close();
    expect(await fsp.readdir(dir)).toEqual(['CACHEDIR.TAG']);
    expect((await fsp.lstat(dir)).mode & 0o777).toBe(0o755);
  });

  test('should give a user who may not create the dir ERR_OPTIONS with the path and the fix', async () => {
    await fsp.chmod(scratch, 0o755);
    const dir = path.join(scratch, 'cache');
    const child = spawnTs('tests/helpers/childOpen.ts', [dir], {}, { as: NOBODY });
    const result = JSON.parse(await child.nextLine()) as { opened: boolean; code: string; message: string; details: Record<string, unknown> };
    expect(await child.exited).toBe(0);
    expect(result).toMatchObject({ opened: false, code: 'ERR_OPTIONS', details: { option: 'dir', path: dir, errno: 'EACCES', step: 'create', blockedAt: scratch } });
    expect(result.message).toBe(`Invalid bundle-cache option "dir": cannot create the cache dir ${dir}: permission denied under ${scratch} (EACCES). ` +
        `Fix: pass another \`dir\` that this user (uid ${NOBODY.uid}) can write to, or give this user write access to ${scratch}.`);
    expect(await fsp.readdir(scratch)).toEqual([]);
  });
});
