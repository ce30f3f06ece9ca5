import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import path from 'node:path';
import { BundleCacheError, errnoCode } from '../errors.js';
import type { FileOps, StoreFile } from './fileOps.js';

/** Bytes per write(2): a 32 MB body is written in chunks, each of which may itself land short. */
export const WRITE_CHUNK = 1 << 20;

// O_EXCL fails on anything already at the path, a symbolic link included; O_NOFOLLOW says so explicitly.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const OPEN_DIR = constants.O_RDONLY | (constants.O_DIRECTORY ?? 0);

/**
 * `<file>.<random digits>`: random so nobody can plant a link at it in
 * advance (write-file-atomic's names are predictable within a process), and
 * digits so `bundle-cache clean` and the writer's own sweep recognise it.
 */
export function tempPathFor(file: string): string {
  return `${file}.${randomBytes(6).readUIntBE(0, 6)}`;
}

/** Whether the directory entry `name` is a temp file of the file named `fileName` (both base names). */
export function isTempOf(fileName: string, name: string): boolean {
  return name.startsWith(`${fileName}.`) && /^\d+$/.test(name.slice(fileName.length + 1));
}

/**
 * Writes `data` to `file` so that readers see the old file or the new one,
 * never a mix: a new temp file (never an existing one, never through a
 * link), every byte written and fsynced, its size checked, `beforeRename`
 * (the caller's last chance to back out, e.g. a lost lock), rename, then an
 * fsync of the directory so the rename survives a power cut. On any failure
 * the temp file is removed and the destination is untouched.
 */
export async function writeAtomic(ops: FileOps, file: string, data: Buffer | string, mode: number, beforeRename?: () => Promise<void>): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const temp = tempPathFor(file);
  const handle = await ops.open(temp, CREATE_NEW, mode).catch(error => refuseOpen(ops, temp, error));
  let renamed = false;
  try {
    await fillAndClose(handle, bytes, temp);
    await beforeRename?.();
    await ops.rename(temp, file);
    renamed = true;
  } finally {
    if (!renamed)
      await ops.unlink(temp).catch(() => {});
  }
  await syncDir(ops, path.dirname(file));
}

async function fillAndClose(handle: StoreFile, bytes: Buffer, temp: string): Promise<void> {
  try {
    for (let offset = 0; offset < bytes.length;) {
      const length = Math.min(WRITE_CHUNK, bytes.length - offset);
      const { bytesWritten } = await handle.write(bytes, offset, length, offset);
      if (!(bytesWritten > 0))
        throw errno('EIO', `write to ${temp} made no progress at byte ${offset} of ${bytes.length}`);
      offset += bytesWritten;
    }
    await handle.sync();
    // A write that reported more than it wrote would leave a short file: check what landed, before the rename.
    const { size } = await handle.stat();
    if (size !== bytes.length)
      throw errno('EIO', `short write: ${size} of ${bytes.length} bytes reached ${temp}`);
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
  await handle.close();
}

/** A temp name that exists already was planted (it is random): remove a link there without following it. */
async function refuseOpen(ops: FileOps, temp: string, error: unknown): Promise<never> {
  const code = errnoCode(error);
  if (code === 'EEXIST' || code === 'ELOOP') {
    const planted = await ops.lstat(temp).catch(() => undefined);
    if (planted?.isSymbolicLink()) {
      await ops.unlink(temp).catch(() => {});
      throw new BundleCacheError('ERR_UNSAFE_PATH', `Found a symbolic link at temp path ${temp}; removed it without following it.`, { path: temp });
    }
  }
  throw error;
}

/** Best effort: some file systems cannot fsync a directory, and the rename has happened either way. */
async function syncDir(ops: FileOps, dir: string): Promise<void> {
  const handle = await ops.open(dir, OPEN_DIR, 0).catch(() => undefined);
  if (!handle)
    return;
  await handle.sync().catch(() => {});
  await handle.close().catch(() => {});
}

function errno(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}
