import type { ResolvedOptions } from '../../options/resolve.js';
import type { EntryInfo, Leftover } from './inspection.js';

export interface HostUsage {
  readonly host: string;
  readonly entries: number;
  readonly bytes: number;
}

export interface EntryPointer {
  readonly url: string;
  readonly storedAt: string;
  readonly ageMs: number;
}

export interface EntrySummary {
  readonly entries: number;
  readonly totalBytes: number;
  readonly fresh: number;
  readonly expired: number;
  readonly corrupt: number;
  /** Entries without validators (no ETag, no Last-Modified, no version): downloaded whole once per run. */
  readonly withoutValidators: { readonly entries: number; readonly bytes: number };
  /** Largest first. */
  readonly hosts: HostUsage[];
  readonly oldest: EntryPointer | null;
  readonly newest: EntryPointer | null;
}

/** The limits an opened cache would apply to this dir: library defaults, `$BUNDLE_CACHE_*` applied. */
export interface Limits {
  readonly maxAgeMs: number;
  readonly diskMaxBytes: number;
  readonly memoryMaxBytes: number;
  readonly memoryTtlMs: number;
  readonly mode: string;
}

export interface LeftoverSummary {
  readonly orphans: number;
  readonly temps: number;
  readonly staleLocks: number;
  readonly bytes: number;
}

export function summarizeEntries(entries: readonly EntryInfo[]): EntrySummary {
  const hosts = new Map<string, { entries: number; bytes: number }>();
  for (const entry of entries) {
    const usage = hosts.get(entry.host) ?? { entries: 0, bytes: 0 };
    usage.entries++;
    usage.bytes += entry.size;
    hosts.set(entry.host, usage);
  }
  const dated = entries
      .filter((entry): entry is EntryInfo & { url: string; storedAt: string; ageMs: number } => entry.url !== null && entry.storedAt !== null && entry.ageMs !== null)
      .sort((a, b) => Date.parse(a.storedAt) - Date.parse(b.storedAt));
  const pointer = (entry: typeof dated[number] | undefined): EntryPointer | null => entry ? { url: entry.url, storedAt: entry.storedAt, ageMs: entry.ageMs } : null;
  return {
    entries: entries.length,
    totalBytes: entries.reduce((sum, entry) => sum + entry.size, 0),
    fresh: entries.filter(entry => entry.state === 'fresh').length,
    expired: entries.filter(entry => entry.state === 'expired').length,
    corrupt: entries.filter(entry => entry.state === 'corrupt').length,
    withoutValidators: {
      entries: entries.filter(entry => entry.freshness?.withoutValidators).length,
      bytes: entries.filter(entry => entry.freshness?.withoutValidators).reduce((sum, entry) => sum + entry.size, 0),
    },
    hosts: [...hosts].map(([host, usage]) => ({ host, ...usage })).sort((a, b) => b.bytes - a.bytes || a.host.localeCompare(b.host)),
    oldest: pointer(dated[0]),
    newest: pointer(dated[dated.length - 1]),
  };
}

export function limitsOf(options: ResolvedOptions): Limits {
  return {
    maxAgeMs: options.maxAgeMs,
    diskMaxBytes: options.disk.maxBytes,
    memoryMaxBytes: options.memory.maxBytes,
    memoryTtlMs: options.memory.ttlMs,
    mode: options.mode,
  };
}

export function summarizeLeftovers(leftovers: readonly Leftover[]): LeftoverSummary {
  return {
    orphans: leftovers.filter(item => item.kind === 'orphan-body' || item.kind === 'orphan-meta').length,
    temps: leftovers.filter(item => item.kind === 'temp').length,
    staleLocks: leftovers.filter(item => item.kind === 'stale-lock').length,
    bytes: leftovers.reduce((sum, item) => sum + item.bytes, 0),
  };
}
