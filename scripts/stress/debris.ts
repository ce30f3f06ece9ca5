import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** A writer's temp file (`<file>.<digits>`), a kept previous body, or a lock directory. */
const DEBRIS = /(?:\.(?:body|meta\.json|json|TAG|pem)\.\d+|\.prev|\.lock)$/;

/** Every path under `dir` (relative), walked without following links. */
export async function walk(dir: string): Promise<Array<{ path: string; kind: 'file' | 'dir' | 'link' | 'other'; mode: number }>> {
  const found: Array<{ path: string; kind: 'file' | 'dir' | 'link' | 'other'; mode: number }> = [];
  const visit = async (folder: string) => {
    for (const name of await fsp.readdir(folder).catch(() => [] as string[])) {
      const full = path.join(folder, name);
      const stat = await fsp.lstat(full).catch(() => undefined);
      if (!stat)
        continue;
      const kind = stat.isSymbolicLink() ? 'link' : stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : 'other';
      found.push({ path: path.relative(dir, full), kind, mode: stat.mode & 0o777 });
      if (kind === 'dir')
        await visit(full);
    }
  };
  await visit(dir);
  return found;
}

/** Temp files, kept bodies and locks left anywhere under `dir`. */
export async function findDebris(dir: string): Promise<string[]> {
  return (await walk(dir)).filter(entry => DEBRIS.test(entry.path)).map(entry => entry.path);
}

/** Makes every lock under `dir` look as old as a dead process's: what waiting `staleMs` would do, without waiting. */
export async function ageLocks(dir: string, byMs: number): Promise<void> {
  const old = new Date(Date.now() - byMs);
  for (const entry of await walk(dir)) {
    if (entry.path.endsWith('.lock'))
      await fsp.utimes(path.join(dir, entry.path), old, old).catch(() => {});
  }
}
