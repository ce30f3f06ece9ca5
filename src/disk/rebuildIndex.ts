import { emptyIndex, type IndexData } from './indexSchema.js';
import { metaSchema, type EntryMeta } from '../core/meta.js';
import { scanStems } from './scan.js';
import type { StoreFs } from './storeFs.js';
import { META_SUFFIX } from '../keys/entryPaths.js';

/**
 * Rebuilds cache_versions.json from the meta.json sidecars: every valid entry
 * is listed; each resource's newest entry is its current version. The
 * history of superseded versions is not in the sidecars and starts empty.
 */
export async function rebuildIndex(root: string, fs: StoreFs, now: number): Promise<IndexData> {
  const data = emptyIndex(now);
  const metas: Array<{ meta: EntryMeta; stem: string }> = [];
  for (const scanned of await scanStems(root, fs)) {
    if (!scanned.meta || !scanned.body)
      continue;
    const meta = await readMeta(fs, scanned.base + META_SUFFIX);
    if (meta)
      metas.push({ meta, stem: scanned.stem });
  }
  metas.sort((a, b) => Date.parse(a.meta.storedAt) - Date.parse(b.meta.storedAt));
  for (const { meta, stem } of metas) {
    data.entries[meta.key] = {
      stem, url: meta.url, resource: meta.resource, version: meta.version, size: meta.size,
      storedAt: meta.storedAt, expiresAt: meta.expiresAt, hits: 0, lastHitAt: null,
    };
    const existing = data.resources[meta.resource];
    data.resources[meta.resource] = {
      version: meta.version, key: meta.key, url: meta.url,
      firstSeen: meta.storedAt, lastSeen: meta.storedAt,
      // Two live entries of one resource: both are in use, keep both.
      multiVersion: existing !== undefined && existing.version !== meta.version ? true : existing?.multiVersion ?? false,
      history: [],
    };
  }
  return data;
}

async function readMeta(fs: StoreFs, file: string): Promise<EntryMeta | undefined> {
  try {
    const parsed = metaSchema.safeParse(JSON.parse((await fs.readFile(file)).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
