import { promises as fsp } from 'node:fs';
import path from 'node:path';

/**
 * What a cache root holds when no writer is at work and none died: the tag,
 * the index, the loopback certificate, and entries (body and meta.json) in
 * host directories. Written down here rather than taken from src/, so the
 * oracle stays independent of what it judges; anything else is debris.
 */
const KEPT_FILE = /^(?:CACHEDIR\.TAG|cache_versions\.json|loopback-tls\/(?:cert|key)\.pem|v1\/[^/]+\/[^/]+\.(?:body|meta\.json))$/;
const KEPT_DIR = /^(?:v1|v1\/[^/]+|loopback-tls)$/;

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

/**
 * Everything under `dir` a cache does not keep: writers' temp files, kept
 * previous bodies, locks, links, files of no known kind. Throws when `dir`
 * holds no file at all: a root the scenarios made always has one, so the
 * oracle would be looking in the wrong place (or at a layout it no longer
 * knows) and finding "no debris" there would prove nothing.
 */
export async function findDebris(dir: string): Promise<string[]> {
  const entries = await walk(dir);
  if (!entries.some(entry => entry.kind === 'file'))
    throw new Error(`findDebris: no file at all under ${dir} (${entries.length} entries); a cache root has at least CACHEDIR.TAG. Wrong dir, or a layout scripts/stress/debris.ts does not know?`);
  const kept = (entry: { path: string; kind: string }) => entry.kind === 'file' ? KEPT_FILE.test(entry.path) : entry.kind === 'dir' && KEPT_DIR.test(entry.path);
  return entries.map(entry => ({ ...entry, path: entry.path.split(path.sep).join('/') })).filter(entry => !kept(entry)).map(entry => entry.path);
}

/** Makes every lock under `dir` look as old as a dead process's: what waiting `staleMs` would do, without waiting. */
export async function ageLocks(dir: string, byMs: number): Promise<void> {
  const old = new Date(Date.now() - byMs);
  for (const entry of await walk(dir)) {
    if (entry.path.endsWith('.lock'))
      await fsp.utimes(path.join(dir, entry.path), old, old).catch(() => {});
  }
}
