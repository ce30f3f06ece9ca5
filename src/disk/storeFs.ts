import { constants, promises as fsp, type Dirent, type Stats } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

/**
 * The file-system operations the disk tier uses. Everything goes through this
 * seam so tests can inject faults (ENOSPC, EIO, short writes) at each step of
 * the write path without mocking the engine.
 */
export interface StoreFs {
  /** Reads a whole file without following a symlink at its last component (ELOOP instead). */
  readFile(path: string): Promise<Buffer>;
  /** Temp file, fsync, rename: readers see the old file or the new one, never a mix. */
  writeFileAtomic(path: string, data: Buffer | string, mode: number): Promise<void>;
  mkdir(path: string, mode: number): Promise<void>;
  unlink(path: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rmdir(path: string): Promise<void>;
  lstat(path: string): Promise<Stats>;
  chmod(path: string, mode: number): Promise<void>;
  readdir(path: string): Promise<Dirent[]>;
  utimes(path: string, time: Date): Promise<void>;
}

const READ_NOFOLLOW = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

export const nodeStoreFs: StoreFs = {
  readFile: path => fsp.readFile(path, { flag: READ_NOFOLLOW }),
  writeFileAtomic: (path, data, mode) => writeFileAtomic(path, data, { mode, fsync: true }),
  mkdir: async (path, mode) => {
    await fsp.mkdir(path, { recursive: true, mode });
  },
  unlink: path => fsp.unlink(path),
  link: (existing, newPath) => fsp.link(existing, newPath),
  rename: (from, to) => fsp.rename(from, to),
  rmdir: path => fsp.rmdir(path),
  lstat: path => fsp.lstat(path),
  chmod: (path, mode) => fsp.chmod(path, mode),
  readdir: path => fsp.readdir(path, { withFileTypes: true }),
  utimes: (path, time) => fsp.utimes(path, time, time),
};
