import { isBundleCacheError, BundleCacheError } from '../errors.js';
import { evictToBudget } from './evict.js';
import type { CachedResponse, EntryMeta } from '../core/meta.js';
import type { SupersededEntry } from './versionsIndex.js';
import { log } from '../log.js';
import type { EntryStore } from './entryStore.js';
import type { LockManager } from './locks.js';
import type { StoreFs } from './storeFs.js';
import type { VersionsIndex } from './versionsIndex.js';

export interface MaintenanceDeps {
  /** The cache root and the disk budget. */
  readonly options: { readonly dir: string; readonly disk: { readonly maxBytes: number } };
  readonly fs: StoreFs;
  readonly store: EntryStore;
  readonly index: VersionsIndex;
  readonly locks: LockManager;
  /** Drops a key removed from disk from the faster tiers (memory). */
  readonly forget: (key: string) => void;
  readonly report: (error: BundleCacheError) => void;
  /** Background work that `close()` waits for. */
  readonly track: (work: Promise<unknown>) => void;
}

/**
 * What follows a store, off the page's critical path: the index update (all
 * stores waiting are applied in one locked read-modify-write), removal of
 * superseded versions, and disk eviction when over budget.
 */
export class DiskMaintenance {
  readonly #parts: MaintenanceDeps;
  #queue: Array<{ meta: EntryMeta; stem: string }> = [];
  #draining: Promise<void> | undefined;
  /** Bytes on disk as last counted plus what this process stored since; undefined until first counted. */
  #diskBytes: number | undefined;
  #evicting = false;

  constructor(parts: MaintenanceDeps) {
    this.#parts = parts;
  }

  afterStore(response: CachedResponse): void {
    this.#queue.push({ meta: response.meta, stem: this.#parts.store.paths(response.meta.key, response.meta.url).stem });
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
    this.#parts.track(this.#draining);
  }

  async #drain(): Promise<void> {
    while (this.#queue.length) {
      const batch = this.#queue;
      this.#queue = [];
      let superseded: SupersededEntry[] = [];
      try {
        superseded = await this.#parts.index.recordStored(batch);
      } catch (error) {
        this.#report(error);
      }
      for (const old of superseded)
        await this.#removeSuperseded(old);
      await this.#evictIfOverBudget(batch);
    }
  }

  async #removeSuperseded(old: SupersededEntry): Promise<void> {
    const { store, locks, forget } = this.#parts;
    const paths = store.paths(old.key, old.url);
    forget(old.key);
    // Someone rewriting that very entry right now has a reason to; leave it to them.
    const lock = await locks.acquire(paths.base, 0).catch(() => undefined);
    if (!lock)
      return;
    try {
      await store.remove(paths);
      log.debug(`version superseded ${old.url} (version ${old.version ?? 'none'}), removed ${paths.stem}`);
    } catch (error) {
      this.#report(error);
    } finally {
      await lock.release();
    }
  }

  async #evictIfOverBudget(batch: ReadonlyArray<{ meta: EntryMeta }>): Promise<void> {
    const { options, index, fs, locks, forget } = this.#parts;
    const added = batch.reduce((sum, { meta }) => sum + meta.size, 0);
    if (this.#diskBytes !== undefined && this.#diskBytes + added <= options.disk.maxBytes) {
      this.#diskBytes += added;
      return;
    }
    if (this.#evicting)
      return;
    this.#evicting = true;
    try {
      const { data } = await index.read();
      const keep = new Set(batch.map(({ meta }) => meta.key));
      const result = await evictToBudget({ root: options.dir, fs, locks, index: data, maxBytes: options.disk.maxBytes, keep });
      this.#diskBytes = result.totalBytes;
      for (const entry of result.evicted) {
        if (entry.key)
          forget(entry.key);
        log.debug(`evict disk ${entry.stem} (${entry.bytes} bytes, least recently used)`);
      }
      await index.recordRemoved(result.evicted.flatMap(entry => entry.key ? [entry.key] : []));
    } catch (error) {
      this.#report(error);
    } finally {
      this.#evicting = false;
    }
  }

  #report(error: unknown): void {
    this.#parts.report(isBundleCacheError(error) ? error : new BundleCacheError('ERR_STORE_FAILED', `Cache maintenance failed: ${(error as Error).message}`, {}, { cause: error }));
  }
}
