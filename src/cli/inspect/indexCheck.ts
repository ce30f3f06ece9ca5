import type { IndexData } from '../../disk/indexSchema.js';
import type { EntryInfo, IndexState } from './inspection.js';

/**
 * What is wrong with cache_versions.json, compared with the entries on disk:
 * lost (while entries exist), unreadable, records dropped, or entries it lists that are gone, does
 * not list, or describes differently from their meta.json. Records of
 * `brokenKeys` (corrupt entries, reported on their own) are not judged. Pure.
 */
export function indexProblems(index: { state: IndexState; dropped: number; data: IndexData }, entries: readonly EntryInfo[], brokenKeys: ReadonlySet<string> = new Set()): string[] {
  // The index is written with the first entry: without one, a cache (new, or emptied) needs none.
  if (index.state === 'missing')
    return entries.some(entry => entry.state !== 'corrupt') ? ['cache_versions.json is missing'] : [];
  if (index.state === 'corrupt' && !index.dropped)
    return ['cache_versions.json is not a valid index'];
  const problems: string[] = [];
  if (index.dropped)
    problems.push(`cache_versions.json has ${index.dropped} invalid record${index.dropped === 1 ? '' : 's'}`);
  const onDisk = new Map(entries.filter(entry => entry.state !== 'corrupt' && entry.key).map(entry => [entry.key!, entry]));
  for (const [key, record] of Object.entries(index.data.entries)) {
    const entry = onDisk.get(key);
    // A corrupt entry is reported as such; its record goes when it does.
    if (brokenKeys.has(key))
      continue;
    if (!entry)
      problems.push(`cache_versions.json lists ${record.url}, which is not in the cache`);
    else if (record.stem !== entry.stem || record.size !== entry.size || record.version !== entry.version || record.storedAt !== entry.storedAt)
      problems.push(`cache_versions.json describes ${record.url} differently from its meta.json`);
  }
  for (const [key, entry] of onDisk) {
    if (!index.data.entries[key])
      problems.push(`cache_versions.json does not list ${entry.url}`);
  }
  return problems;
}

/**
 * The index to write back: entries exactly as the sidecars say (`rebuilt`),
 * keeping the hit counts already recorded; resources and their version
 * history as recorded (the sidecars cannot restore history), plus any
 * resource only the sidecars know. Pure; mutates nothing.
 */
export function reconcileIndex(current: IndexData, rebuilt: IndexData): IndexData {
  const entries: IndexData['entries'] = {};
  for (const [key, record] of Object.entries(rebuilt.entries)) {
    const previous = current.entries[key];
    entries[key] = { ...record, hits: previous?.hits ?? record.hits, lastHitAt: previous?.lastHitAt ?? record.lastHitAt };
  }
  return { ...current, resources: { ...rebuilt.resources, ...current.resources }, entries };
}
