import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { EntryStore } from '../../src/disk/entryStore.js';
import { INDEX_FILE, parseIndex, type IndexData } from '../../src/disk/indexSchema.js';
import { metaSchema, type CachedResponse } from '../../src/core/meta.js';
import { scanStems } from '../../src/disk/scan.js';
import { nodeStoreFs } from '../../src/disk/storeFs.js';
import { META_SUFFIX } from '../../src/keys/entryPaths.js';

/** Every entry on disk, read the way the engine reads it, and what was wrong with the others. */
export interface Audit {
  readonly entries: Map<string, CachedResponse>;
  /** One line per stem that is not a whole, valid entry. */
  readonly broken: string[];
  /** cache_versions.json, parsed strictly; undefined when missing or not an index. */
  readonly index: IndexData | undefined;
}

export async function auditCache(dir: string): Promise<Audit> {
  const store = new EntryStore(dir, nodeStoreFs);
  const entries = new Map<string, CachedResponse>();
  const broken: string[] = [];
  for (const stem of await scanStems(dir, nodeStoreFs)) {
    if (!stem.meta && !stem.body)
      continue;
    const text = await fsp.readFile(stem.base + META_SUFFIX, 'utf8').catch(() => undefined);
    const parsed = text === undefined ? undefined : metaSchema.safeParse(parseJson(text));
    if (!parsed?.success) {
      broken.push(`${stem.stem}: no valid meta.json`);
      continue;
    }
    const read = await store.read(parsed.data.key, parsed.data.url);
    if (read.kind === 'found')
      entries.set(parsed.data.key, read.response);
    else
      broken.push(`${stem.stem}: ${read.kind === 'corrupt' ? read.error.message : 'absent'}`);
  }
  const text = await fsp.readFile(path.join(dir, INDEX_FILE), 'utf8').catch(() => undefined);
  const parsed = text === undefined ? undefined : parseIndex(text);
  return { entries, broken, index: parsed && !parsed.dropped ? parsed.data : undefined };
}

/** JSON.parse that returns undefined for text that is not JSON (a damaged meta.json is a finding, not a crash). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The differences between two sets of keys, for a failure message. */
export function keyDifference(expected: Iterable<string>, found: Iterable<string>): string | undefined {
  const want = new Set(expected);
  const have = new Set(found);
  const missing = [...want].filter(key => !have.has(key));
  const extra = [...have].filter(key => !want.has(key));
  if (!missing.length && !extra.length)
    return undefined;
  return `missing ${JSON.stringify(missing.slice(0, 5))}${missing.length > 5 ? ` (+${missing.length - 5})` : ''}, unexpected ${JSON.stringify(extra.slice(0, 5))}`;
}
