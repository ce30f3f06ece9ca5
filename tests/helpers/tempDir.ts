import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export async function makeTempDir(prefix = 'bundle-cache-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

/**
 * Every regular file under `dir`, as paths relative to it. A directory that
 * goes away while it is read (a lock an open cache releases meanwhile, such
 * as `cache_versions.json.lock` of a background index update) is skipped:
 * `fs.readdir(dir, { recursive: true })` fails on it with ENOENT.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (current: string): Promise<void> => {
    let entries;
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch (error) {
      if (current !== dir && (error as NodeJS.ErrnoException).code === 'ENOENT')
        return;
      throw error;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory())
        await walk(full);
      else if (entry.isFile())
        files.push(path.relative(dir, full));
    }
  };
  await walk(dir);
  return files.sort();
}

/** The files under `dir` (relative, sorted) whose bytes contain `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const file of await listFiles(dir)) {
    if ((await fs.readFile(path.join(dir, file))).includes(needle))
      found.push(file);
  }
  return found;
}
