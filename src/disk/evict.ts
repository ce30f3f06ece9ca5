import { META_SUFFIX, BODY_SUFFIX } from '../keys/entryPaths.js';
import { metaSchema } from '../core/meta.js';
import { scanStems } from './scan.js';
import type { LockManager } from './locks.js';
import type { StoreFs } from './storeFs.js';
import type { IndexData } from './indexSchema.js';

/** Evicting down to this share of the budget leaves room, so the next store does not evict again. */
const LOW_WATER = 0.9;

export interface EvictedEntry {
  readonly key: string | undefined;
  readonly stem: string;
  readonly bytes: number;
}

/**
 * Least-recently-used eviction of the disk tier: sums the size of every
 * entry's files and, when over `maxBytes`, removes entries by oldest body
 * mtime (bumped on every disk hit) until under 90 % of it. An entry whose
 * lock is held (being written) is skipped, as is any key in `keep`.
 */
export async function evictToBudget(options: {
  root: string;
  fs: StoreFs;
  locks: LockManager;
  index: IndexData;
  maxBytes: number;
  keep: ReadonlySet<string>;
}): Promise<{ totalBytes: number; evicted: EvictedEntry[] }> {
  const { fs, locks, index, maxBytes, keep } = options;
  const stems = (await scanStems(options.root, fs)).filter(stem => stem.body || stem.meta);
  const bytesOf = (stem: typeof stems[number]) => (stem.body?.size ?? 0) + (stem.meta?.size ?? 0);
  let totalBytes = stems.reduce((sum, stem) => sum + bytesOf(stem), 0);
  const evicted: EvictedEntry[] = [];
  if (totalBytes <= maxBytes)
    return { totalBytes, evicted };

  const keyByStem = new Map(Object.entries(index.entries).map(([key, entry]) => [entry.stem, key]));
  const lastUse = (stem: typeof stems[number]) => stem.body?.mtimeMs ?? stem.meta?.mtimeMs ?? 0;
  stems.sort((a, b) => lastUse(a) - lastUse(b));
  for (const stem of stems) {
    if (totalBytes <= maxBytes * LOW_WATER)
      break;
    const key = keyByStem.get(stem.stem) ?? await keyFromMeta(fs, stem.base);
    if (key && keep.has(key))
      continue;
    const lock = await locks.acquire(stem.base, 0).catch(() => undefined);
    if (!lock)
      continue;
    try {
      await fs.unlink(stem.base + META_SUFFIX).catch(() => {});
      await fs.unlink(stem.base + BODY_SUFFIX).catch(() => {});
    } finally {
      await lock.release();
    }
    totalBytes -= bytesOf(stem);
    evicted.push({ key, stem: stem.stem, bytes: bytesOf(stem) });
  }
  return { totalBytes, evicted };
}

async function keyFromMeta(fs: StoreFs, base: string): Promise<string | undefined> {
  try {
    const parsed = metaSchema.safeParse(JSON.parse((await fs.readFile(base + META_SUFFIX)).toString('utf8')));
    return parsed.success ? parsed.data.key : undefined;
  } catch {
    return undefined;
  }
}
