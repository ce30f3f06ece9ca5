import path from 'node:path';
import { errnoCode } from '../errors.js';
import { BODY_SUFFIX, FORMAT_DIR, LOCK_SUFFIX, META_SUFFIX } from '../keys/entryPaths.js';
import { BACKUP_SUFFIX } from './entryWrite.js';
import type { StoreFs } from './storeFs.js';

/** Everything found on disk for one entry stem (`v1/<host>/<slug>-<hash>`). */
export interface ScannedStem {
  /** Relative to the root, with `/` separators. */
  readonly stem: string;
  /** Absolute path without suffix. */
  readonly base: string;
  body?: { size: number; mtimeMs: number };
  meta?: { size: number; mtimeMs: number };
  lock?: { mtimeMs: number };
  /** Temp files left by writers (our atomic writer's `<file>.<digits>`, our `.body.prev`). */
  readonly temps: string[];
}

const TEMP = new RegExp(`^(.*?)(?:${escape(BODY_SUFFIX)}|${escape(META_SUFFIX)})(?:\\.\\d+|${escape(BACKUP_SUFFIX)})$`);

/**
 * Lists every stem under `v1/`, grouping its body, meta, lock and temp files.
 * Reads directory listings and lstat only; meta contents are parsed by callers.
 */
export async function scanStems(root: string, fs: StoreFs): Promise<ScannedStem[]> {
  const stems = new Map<string, ScannedStem>();
  const formatDir = path.join(root, FORMAT_DIR);
  for (const hostEntry of await listDir(fs, formatDir)) {
    if (!hostEntry.isDirectory())
      continue;
    const hostDir = path.join(formatDir, hostEntry.name);
    for (const file of await listDir(fs, hostDir)) {
      const classified = classify(file.name);
      if (!classified)
        continue;
      const stat = await fs.lstat(path.join(hostDir, file.name)).catch(() => undefined);
      if (!stat)
        continue;
      const stemName = `${FORMAT_DIR}/${hostEntry.name}/${classified.stem}`;
      let entry = stems.get(stemName);
      if (!entry) {
        entry = { stem: stemName, base: path.join(hostDir, classified.stem), temps: [] };
        stems.set(stemName, entry);
      }
      if (classified.kind === 'temp')
        entry.temps.push(path.join(hostDir, file.name));
      else if (classified.kind === 'lock')
        entry.lock = { mtimeMs: stat.mtimeMs };
      else if (stat.isFile())
        entry[classified.kind] = { size: stat.size, mtimeMs: stat.mtimeMs };
    }
  }
  return [...stems.values()];
}

function classify(name: string): { kind: 'body' | 'meta' | 'lock' | 'temp'; stem: string } | undefined {
  const temp = TEMP.exec(name);
  if (temp)
    return { kind: 'temp', stem: temp[1]! };
  if (name.endsWith(META_SUFFIX))
    return { kind: 'meta', stem: name.slice(0, -META_SUFFIX.length) };
  if (name.endsWith(BODY_SUFFIX))
    return { kind: 'body', stem: name.slice(0, -BODY_SUFFIX.length) };
  if (name.endsWith(LOCK_SUFFIX))
    return { kind: 'lock', stem: name.slice(0, -LOCK_SUFFIX.length) };
  return undefined;
}

async function listDir(fs: StoreFs, dir: string) {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR')
      return [];
    throw error;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
