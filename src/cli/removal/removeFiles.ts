import { promises as fsp } from 'node:fs';
import { errnoCode } from '../../errors.js';

/**
 * Unlinks files in order (meta before body, so an entry stops existing
 * before its body goes); a file already gone is fine. Returns the bytes freed.
 */
export async function removeFiles(files: readonly string[]): Promise<number> {
  let freed = 0;
  for (const file of files) {
    const stat = await fsp.lstat(file).catch(() => undefined);
    if (!stat)
      continue;
    try {
      await fsp.unlink(file);
      freed += stat.size;
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT')
        throw error;
    }
  }
  return freed;
}
