import path from 'node:path';
import { LockManager } from '../../disk/locks.js';
import { BODY_SUFFIX, META_SUFFIX } from '../../keys/entryPaths.js';
import type { LeftoverKind } from '../inspect/inspection.js';
import { relativePath } from '../inspect/inspectCache.js';
import { versionsIndex } from '../inspect/readIndex.js';
import { removeFiles } from './removeFiles.js';
import { underLock } from './underLock.js';

export type RemovalKind = 'entry' | 'expired' | 'corrupt' | LeftoverKind;

/** Something to remove, found by a lock-free inspection and re-checked under its lock. */
export interface RemovalTask {
  readonly kind: RemovalKind;
  /** Relative to the cache dir. */
  readonly path: string;
  /** Absolute lock base: the entry's stem, or cache_versions.json. */
  readonly lockBase: string;
  /** The entry's URL, for people; null for files that are not a whole entry. */
  readonly url: string | null;
}

export interface Removed {
  readonly kind: RemovalKind;
  readonly path: string;
  readonly url: string | null;
  readonly bytes: number;
}

export interface Skipped {
  readonly kind: RemovalKind;
  readonly path: string;
  readonly url: string | null;
  /** `busy`: a live writer holds the lock; `changed`: no longer what it was; else the error. */
  readonly reason: string;
}

export interface RemovalReport {
  readonly removed: Removed[];
  readonly skipped: Skipped[];
  readonly freedBytes: number;
}

/**
 * Removes what `tasks` name, each group under the lock writers take for it,
 * after `stillApplies` re-checks it under that lock (a writer may have
 * finished the entry since it was inspected). Then drops the removed
 * entries from cache_versions.json under the index lock.
 */
export async function runRemovals(dir: string, tasks: readonly RemovalTask[], now: () => number, stillApplies: (task: RemovalTask) => Promise<boolean>): Promise<RemovalReport> {
  const locks = new LockManager();
  const removed: Removed[] = [];
  const skipped: Skipped[] = [];
  const removedStems = new Set<string>();
  const removeOne = async (task: RemovalTask) => {
    try {
      if (!await stillApplies(task))
        return skipped.push({ kind: task.kind, path: task.path, url: task.url, reason: 'changed' });
      removed.push({ kind: task.kind, path: task.path, url: task.url, bytes: await removeFiles(filesOf(dir, task)) });
      if (task.kind !== 'temp' && task.kind !== 'stale-lock')
        removedStems.add(relativePath(dir, task.lockBase));
    } catch (error) {
      skipped.push({ kind: task.kind, path: task.path, url: task.url, reason: (error as Error).message });
    }
  };
  for (const [lockBase, group] of groupBy(tasks, task => task.lockBase)) {
    const outcome = await underLock(locks, lockBase, async () => {
      for (const task of group)
        await removeOne(task);
    }).catch((error: Error) => ({ busy: true as const, reason: error.message }));
    if (outcome.busy)
      group.forEach(task => skipped.push({ kind: task.kind, path: task.path, url: task.url, reason: 'reason' in outcome ? outcome.reason : 'busy' }));
  }
  if (removedStems.size)
    await dropRecords(dir, now, locks, removedStems);
  return { removed, skipped, freedBytes: removed.reduce((sum, item) => sum + item.bytes, 0) };
}

/**
 * Drops the index records of removed entries, by stem rather than by key: a
 * body without meta.json has no key to go by, and a stem names one key.
 */
async function dropRecords(dir: string, now: () => number, locks: LockManager, stems: ReadonlySet<string>): Promise<void> {
  await versionsIndex(dir, now, locks).update(data => {
    for (const [key, record] of Object.entries(data.entries)) {
      if (stems.has(record.stem))
        delete data.entries[key];
    }
  });
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items)
    groups.set(keyOf(item), [...groups.get(keyOf(item)) ?? [], item]);
  return groups;
}

function filesOf(dir: string, task: RemovalTask): string[] {
  switch (task.kind) {
    case 'orphan-body':
      return [task.lockBase + BODY_SUFFIX];
    case 'orphan-meta':
      return [task.lockBase + META_SUFFIX];
    case 'temp':
      return [path.join(dir, task.path)];
    case 'stale-lock':
      // Taking the lock over removed the stale one; releasing it removes ours.
      return [];
    default:
      return [task.lockBase + META_SUFFIX, task.lockBase + BODY_SUFFIX];
  }
}
