import { constants, promises as fsp, type Dirent, type Stats } from 'node:fs';

/** An open file, as the atomic writer uses it (a `FileHandle` is one). */
export interface StoreFile {
  /** One write(2): may write fewer bytes than asked. */
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  stat(): Promise<{ size: number }>;
  close(): Promise<void>;
}

/** The file-system primitives the disk tier is built on. */
export interface FileOps {
  /** Reads a whole file without following a symlink at its last component (ELOOP instead). */
  readFile(path: string): Promise<Buffer>;
  open(path: string, flags: number, mode: number): Promise<StoreFile>;
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

/** One presized read instead of readFile's 512 KB chunks: a 5 MB body in one thread-pool hop, not ten. */
async function readWhole(path: string): Promise<Buffer> {
  const handle = await fsp.open(path, READ_NOFOLLOW);
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(buffer, offset, size - offset, offset);
      if (bytesRead === 0)
        break;
      offset += bytesRead;
    }
    // A file that shrank while being read yields what was there; the size and sha256 checks judge it.
    return offset === size ? buffer : buffer.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

export const nodeFileOps: FileOps = {
  readFile: readWhole,
  open: (path, flags, mode) => fsp.open(path, flags, mode),
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
