import { z } from 'zod';

export const INDEX_FILE = 'cache_versions.json';
const isoTime = z.iso.datetime({ offset: true });

/** One entry on disk, by key. `entries` lists exactly the keys whose files exist. */
export const entryRecordSchema = z.object({
  stem: z.string(),
  url: z.string(),
  resource: z.string(),
  version: z.string().nullable(),
  size: z.number().int().min(0),
  storedAt: isoTime,
  expiresAt: isoTime,
  /** Hits served from this entry, flushed when a cache closes. */
  hits: z.number().int().min(0).default(0),
  lastHitAt: isoTime.nullable().default(null),
});

export const historyLineSchema = z.object({
  version: z.string().nullable(),
  url: z.string(),
  firstSeen: isoTime,
  supersededAt: isoTime,
});

/** One bundle across its builds: the current version and the ones it superseded. */
export const resourceRecordSchema = z.object({
  version: z.string().nullable(),
  key: z.string(),
  url: z.string(),
  firstSeen: isoTime,
  lastSeen: isoTime,
  /**
   * Set when an older version came back after being superseded (a rollback,
   * or a page using two builds at once): from then on superseded entries are
   * kept, so the versions don't evict each other on every load.
   */
  multiVersion: z.boolean().default(false),
  history: z.array(historyLineSchema).default([]),
});

export type EntryRecord = z.infer<typeof entryRecordSchema>;
export type ResourceRecord = z.infer<typeof resourceRecordSchema>;
export type HistoryLine = z.infer<typeof historyLineSchema>;

export interface IndexData {
  formatVersion: 1;
  updatedAt: string;
  resources: Record<string, ResourceRecord>;
  entries: Record<string, EntryRecord>;
}

export const HISTORY_LIMIT = 50;

/**
 * Parses cache_versions.json leniently: a record that fails validation is
 * dropped, not fatal. Returns undefined when the file is not an index at all.
 */
export function parseIndex(text: string): { data: IndexData; dropped: number } | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const shell = z.object({ formatVersion: z.literal(1), resources: z.record(z.string(), z.unknown()), entries: z.record(z.string(), z.unknown()) }).safeParse(json);
  if (!shell.success)
    return undefined;
  let dropped = 0;
  const data: IndexData = { formatVersion: 1, updatedAt: new Date(0).toISOString(), resources: {}, entries: {} };
  for (const [key, value] of Object.entries(shell.data.entries)) {
    const record = entryRecordSchema.safeParse(value);
    if (record.success)
      data.entries[key] = record.data;
    else
      dropped++;
  }
  for (const [id, value] of Object.entries(shell.data.resources)) {
    const record = resourceRecordSchema.safeParse(value);
    if (record.success)
      data.resources[id] = record.data;
    else
      dropped++;
  }
  return { data, dropped };
}

export function emptyIndex(now: number): IndexData {
  return { formatVersion: 1, updatedAt: new Date(now).toISOString(), resources: {}, entries: {} };
}
