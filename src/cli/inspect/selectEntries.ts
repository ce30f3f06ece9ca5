import { hostDir } from '../../keys/entryPaths.js';
import type { EntryInfo } from './inspection.js';

export type SortKey = 'url' | 'size' | 'age' | 'hits';
export const SORT_KEYS = ['size', 'age', 'hits'] as const;

/**
 * `--host` matches `host:port`, or just the host name (then any port), as
 * entries are filed: by the host directory of their stem. A URL is accepted
 * too (its host is used), since that is what people paste.
 */
export function matchesStemHost(stem: string, wanted: string): boolean {
  const dir = stem.split('/')[1];
  let url: URL;
  try {
    url = new URL(wanted.includes('://') ? wanted : `http://${wanted.trim()}`);
  } catch {
    return false;
  }
  const want = hostDir(url);
  if (dir === undefined)
    return false;
  return dir === want || (!url.port && dir.startsWith(`${want}_`) && /^\d+$/.test(dir.slice(want.length + 1)));
}

/** Largest, oldest and most-hit first; ties and the default by URL, so output is stable. */
export function sortEntries(entries: readonly EntryInfo[], by: SortKey): EntryInfo[] {
  const byUrl = (a: EntryInfo, b: EntryInfo) => (a.url ?? a.stem).localeCompare(b.url ?? b.stem);
  const order: Record<SortKey, (a: EntryInfo, b: EntryInfo) => number> = {
    url: byUrl,
    size: (a, b) => b.size - a.size || byUrl(a, b),
    age: (a, b) => (b.ageMs ?? -Number.MAX_SAFE_INTEGER) - (a.ageMs ?? -Number.MAX_SAFE_INTEGER) || byUrl(a, b),
    hits: (a, b) => b.hits - a.hits || byUrl(a, b),
  };
  return [...entries].sort(order[by]);
}
