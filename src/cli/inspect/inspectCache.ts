import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isTempOf } from '../../disk/atomicWrite.js';
import { INDEX_FILE, type EntryRecord } from '../../disk/indexSchema.js';
import { DEFAULT_LOCK_OPTIONS } from '../../disk/locks.js';
import { freshnessInfo } from './freshnessInfo.js';
import type { EntryMeta } from '../../core/meta.js';
import { scanStems, type ScannedStem } from '../../disk/scan.js';
import { nodeStoreFs } from '../../disk/storeFs.js';
import { BODY_SUFFIX, LOCK_SUFFIX, META_SUFFIX } from '../../keys/entryPaths.js';
import { mapLimit } from '../mapLimit.js';
import { checkStem, type StemCheck } from './checkStem.js';
import type { CacheInspection, EntryInfo } from './inspection.js';
import { readIndex } from './readIndex.js';

export interface InspectOptions {
  readonly dir: string;
  readonly now: number;
  /** Re-hash every body (verify); otherwise sizes are compared only (status, list). */
  readonly deep?: boolean;
}

const PARALLEL = 8;

/**
 * Reads a cache directory the way a reader does, without locks. An entry
 * that looks inconsistent is read again (a writer may have been between its
 * body and meta renames); if it still does while its lock is held, it is
 * reported as being written rather than as corrupt.
 */
export async function inspectCache({ dir, now, deep = false }: InspectOptions): Promise<CacheInspection> {
  const index = await readIndex(dir, now);
  const inspection: CacheInspection = { dir, index, entries: [], leftovers: [], heldLocks: [], writing: [] };
  const stems = await scanStems(dir, nodeStoreFs);
  const checks = await mapLimit(stems, PARALLEL, stem => stem.body || stem.meta ? settledCheck(dir, stem, now, deep) : Promise.resolve(undefined));
  for (const [i, stem] of stems.entries()) {
    if (stem.lock) {
      if (isStale(stem.lock.mtimeMs, now))
        inspection.leftovers.push({ kind: 'stale-lock', path: stem.stem + LOCK_SUFFIX, lockBase: stem.base, bytes: 0, key: null });
      else
        inspection.heldLocks.push(stem.stem + LOCK_SUFFIX);
    }
    for (const temp of stem.temps)
      inspection.leftovers.push({ kind: 'temp', path: relativePath(dir, temp), lockBase: stem.base, bytes: await sizeOf(temp), key: null });
    const check = checks[i];
    if (!check)
      continue;
    if (check === 'writing')
      inspection.writing.push(stem.stem);
    else if (!check.hasMeta)
      inspection.leftovers.push({ kind: 'orphan-body', path: stem.stem + BODY_SUFFIX, lockBase: stem.base, bytes: check.bodySize ?? 0, key: null });
    else if (check.bodySize === null && !check.problem)
      inspection.leftovers.push({ kind: 'orphan-meta', path: stem.stem + META_SUFFIX, lockBase: stem.base, bytes: stem.meta?.size ?? 0, key: check.meta?.key ?? null });
    else
      inspection.entries.push(entryInfo(stem, check, check.meta ? index.data.entries[check.meta.key] : undefined, now));
  }
  await addIndexLeftovers(inspection, now);
  return inspection;
}

async function settledCheck(dir: string, stem: ScannedStem, now: number, deep: boolean): Promise<StemCheck | 'writing'> {
  const suspicious = (check: StemCheck) => check.problem !== null || !check.hasMeta || check.bodySize === null;
  const first = await checkStem(dir, stem.stem, stem.base, deep);
  if (!suspicious(first))
    return first;
  // A writer holds the lock from before its body rename until after its meta rename, so a
  // mismatch seen by the second read falls inside a held lock, seen by one of the two checks.
  const heldBefore = await lockIsHeld(stem.base, now);
  const second = await checkStem(dir, stem.stem, stem.base, deep);
  if (!suspicious(second))
    return second;
  return heldBefore || await lockIsHeld(stem.base, now) ? 'writing' : second;
}

/** cache_versions.json's own lock and its writer's temps (`<file>.<digits>`) live in the root. */
async function addIndexLeftovers(inspection: CacheInspection, now: number): Promise<void> {
  const indexBase = path.join(inspection.dir, INDEX_FILE);
  const names = await fsp.readdir(inspection.dir).catch(() => [] as string[]);
  for (const name of names) {
    if (isTempOf(INDEX_FILE, name))
      inspection.leftovers.push({ kind: 'temp', path: name, lockBase: indexBase, bytes: await sizeOf(path.join(inspection.dir, name)), key: null });
  }
  const lock = await fsp.lstat(indexBase + LOCK_SUFFIX).catch(() => undefined);
  if (lock && isStale(lock.mtimeMs, now))
    inspection.leftovers.push({ kind: 'stale-lock', path: INDEX_FILE + LOCK_SUFFIX, lockBase: indexBase, bytes: 0, key: null });
  else if (lock)
    inspection.heldLocks.push(INDEX_FILE + LOCK_SUFFIX);
}

/** proper-lockfile's rule: a lock whose mtime was not refreshed within `staleMs` belongs to a dead process. */
function isStale(mtimeMs: number, now: number): boolean {
  return now - mtimeMs > DEFAULT_LOCK_OPTIONS.staleMs;
}

async function lockIsHeld(base: string, now: number): Promise<boolean> {
  const stat = await fsp.lstat(base + LOCK_SUFFIX).catch(() => undefined);
  return stat !== undefined && !isStale(stat.mtimeMs, now);
}

function entryInfo(stem: ScannedStem, check: StemCheck, record: EntryRecord | undefined, now: number): EntryInfo {
  const meta: EntryMeta | null = check.meta;
  const since = (iso: string | null | undefined) => iso ? now - Date.parse(iso) : null;
  const state = check.problem ? 'corrupt' : Date.parse(meta!.expiresAt) <= now ? 'expired' : 'fresh';
  return {
    stem: stem.stem,
    host: hostOf(meta?.url) ?? stem.stem.split('/')[1] ?? '',
    key: meta?.key ?? null,
    url: meta?.url ?? null,
    state,
    problem: check.problem,
    size: check.bodySize ?? 0,
    resource: meta?.resource ?? null,
    version: meta?.version ?? null,
    rule: meta?.rule ?? null,
    status: meta?.status ?? null,
    sha256: meta?.sha256 ?? null,
    storedAt: meta?.storedAt ?? null,
    expiresAt: meta?.expiresAt ?? null,
    ageMs: since(meta?.storedAt),
    expiresInMs: meta ? Date.parse(meta.expiresAt) - now : null,
    freshness: meta ? freshnessInfo(meta, now) : null,
    hits: record?.hits ?? 0,
    lastHitAt: record?.lastHitAt ?? null,
    lastHitAgoMs: since(record?.lastHitAt),
  };
}

function hostOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

function sizeOf(file: string): Promise<number> {
  return fsp.lstat(file).then(stat => stat.size, () => 0);
}

export function relativePath(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/');
}
