import path from 'node:path';
import { errnoCode, isBundleCacheError } from '../errors.js';
import { log } from '../log.js';
import { isTempOf } from './atomicWrite.js';
import { FILE_MODE } from './modes.js';
import { HISTORY_LIMIT, INDEX_FILE, parseIndex, type IndexData } from './indexSchema.js';
import type { LockManager } from './locks.js';
import type { EntryMeta } from '../core/meta.js';
import { rebuildIndex } from './rebuildIndex.js';
import type { StoreFs } from './storeFs.js';

const INDEX_LOCK_TIMEOUT_MS = 30_000;

/** An entry that a newer version of its resource replaced; its files are to be removed. */
export interface SupersededEntry {
  readonly key: string;
  readonly url: string;
  readonly version: string | null;
}

/**
 * `cache_versions.json`: the entries on disk and each resource's version
 * history. Read-modify-written only under its lock; rebuilt from the
 * meta.json sidecars when it is missing or not an index.
 */
export class VersionsIndex {
  readonly path: string;
  readonly #root: string;
  readonly #fs: StoreFs;
  readonly #locks: LockManager;
  readonly #now: () => number;

  constructor(root: string, fs: StoreFs, locks: LockManager, now: () => number) {
    this.#root = root;
    this.path = path.join(root, INDEX_FILE);
    this.#fs = fs;
    this.#locks = locks;
    this.#now = now;
  }

  /** The index as on disk, or rebuilt in memory from the sidecars when missing or unreadable. */
  async read(): Promise<{ data: IndexData; state: 'ok' | 'missing' | 'corrupt'; dropped: number }> {
    let text: string;
    try {
      text = (await this.#fs.readFile(this.path)).toString('utf8');
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT')
        log.debug(`index unreadable (${errnoCode(error)}), rebuilding from sidecars`);
      return { data: await rebuildIndex(this.#root, this.#fs, this.#now()), state: errnoCode(error) === 'ENOENT' ? 'missing' : 'corrupt', dropped: 0 };
    }
    const parsed = parseIndex(text);
    if (!parsed)
      return { data: await rebuildIndex(this.#root, this.#fs, this.#now()), state: 'corrupt', dropped: 0 };
    return { data: parsed.data, state: parsed.dropped ? 'corrupt' : 'ok', dropped: parsed.dropped };
  }

  /**
   * Runs `change` on the current index under the index lock and writes the
   * result atomically. If the lock is lost before the write (this process
   * froze and another took over), the change is applied once more, on the
   * index as the other process left it.
   */
  async update<T>(change: (data: IndexData) => T): Promise<T> {
    try {
      return await this.#updateOnce(change);
    } catch (error) {
      if (!isBundleCacheError(error, 'ERR_LOCK_COMPROMISED'))
        throw error;
      return this.#updateOnce(change);
    }
  }

  async #updateOnce<T>(change: (data: IndexData) => T): Promise<T> {
    const lock = await this.#locks.acquire(this.path, INDEX_LOCK_TIMEOUT_MS);
    try {
      await this.#sweepTemps();
      const { data } = await this.read();
      const result = change(data);
      data.updatedAt = new Date(this.#now()).toISOString();
      // A successor that took the lock over has read and written the index since: ours would undo its update.
      await this.#fs.writeFileAtomic(this.path, `${JSON.stringify(data, null, 1)}\n`, FILE_MODE, () => lock.verify());
      return result;
    } catch (error) {
      // A rename that failed because the successor removed our temp file: the lost lock is the reason.
      await lock.verify();
      throw error;
    } finally {
      await lock.release();
    }
  }

  /** Temp files of the index are dead while we hold its lock: a killed writer's. */
  async #sweepTemps(): Promise<void> {
    const names = await this.#fs.readdir(this.#root).catch(() => []);
    for (const entry of names) {
      if (isTempOf(INDEX_FILE, entry.name))
        await this.#fs.unlink(path.join(this.#root, entry.name)).catch(() => {});
    }
  }

  /** Records stored entries; returns the entries their new versions supersede. */
  async recordStored(stored: ReadonlyArray<{ meta: EntryMeta; stem: string }>): Promise<SupersededEntry[]> {
    return this.update(data => stored.flatMap(({ meta, stem }) => applyStored(data, meta, stem, this.#now())));
  }

  async recordRemoved(keys: readonly string[]): Promise<void> {
    if (keys.length)
      await this.update(data => keys.forEach(key => delete data.entries[key]));
  }

  /** Adds hits counted in memory to the persisted counters. */
  async recordHits(hits: ReadonlyMap<string, { count: number; lastHitAt: number }>): Promise<void> {
    if (!hits.size)
      return;
    await this.update(data => {
      for (const [key, { count, lastHitAt }] of hits) {
        const entry = data.entries[key];
        if (!entry)
          continue;
        entry.hits += count;
        entry.lastHitAt = new Date(Math.max(lastHitAt, entry.lastHitAt ? Date.parse(entry.lastHitAt) : 0)).toISOString();
      }
    });
  }
}

/** Pure: applies one stored entry to the index; exported for unit tests. */
export function applyStored(data: IndexData, meta: EntryMeta, stem: string, now: number): SupersededEntry[] {
  const previous = data.entries[meta.key];
  data.entries[meta.key] = {
    stem, url: meta.url, resource: meta.resource, version: meta.version, size: meta.size,
    storedAt: meta.storedAt, expiresAt: meta.expiresAt, hits: previous?.hits ?? 0, lastHitAt: previous?.lastHitAt ?? null,
  };
  const resource = data.resources[meta.resource];
  if (!resource) {
    data.resources[meta.resource] = { version: meta.version, key: meta.key, url: meta.url, firstSeen: meta.storedAt, lastSeen: meta.storedAt, multiVersion: false, history: [] };
    return [];
  }
  if (resource.version === meta.version) {
    Object.assign(resource, { key: meta.key, url: meta.url, lastSeen: meta.storedAt });
    return [];
  }
  const superseded: SupersededEntry[] = [];
  if (resource.history.some(line => line.version === meta.version))
    resource.multiVersion = true;
  resource.history.unshift({ version: resource.version, url: resource.url, firstSeen: resource.firstSeen, supersededAt: new Date(now).toISOString() });
  resource.history.length = Math.min(resource.history.length, HISTORY_LIMIT);
  if (!resource.multiVersion && resource.key !== meta.key && data.entries[resource.key]) {
    superseded.push({ key: resource.key, url: resource.url, version: resource.version });
    delete data.entries[resource.key];
  }
  Object.assign(resource, { version: meta.version, key: meta.key, url: meta.url, firstSeen: meta.storedAt, lastSeen: meta.storedAt });
  return superseded;
}
