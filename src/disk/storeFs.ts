import { writeAtomic } from './atomicWrite.js';
import { nodeFileOps, type FileOps } from './fileOps.js';

/**
 * The file-system operations the disk tier uses. Everything goes through this
 * seam so tests can inject faults (ENOSPC, EIO, short writes) at each step of
 * the write path without mocking the engine: replace one method here, or build
 * the seam with `storeFsOver()` from primitives that fail inside the atomic write.
 */
export interface StoreFs extends FileOps {
  /**
   * Temp file, fsync, rename: readers see the old file or the new one, never a
   * mix. `beforeRename` may throw to abandon the write (see `writeAtomic`).
   */
  writeFileAtomic(path: string, data: Buffer | string, mode: number, beforeRename?: () => Promise<void>): Promise<void>;
}

/** A StoreFs whose atomic writes are made of `ops`, so a fault in any primitive reaches them. */
export function storeFsOver(ops: FileOps): StoreFs {
  return { ...ops, writeFileAtomic: (path, data, mode, beforeRename) => writeAtomic(ops, path, data, mode, beforeRename) };
}

export const nodeStoreFs: StoreFs = storeFsOver(nodeFileOps);
