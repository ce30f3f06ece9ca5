import { z } from 'zod';
import { expectPositionals, integerFlag, validate } from '../args.js';
import type { CommandSpec, TextView } from '../command.js';
import { corruptLines, entriesTable } from '../format/entriesTable.js';
import { plural } from '../format/table.js';
import { inspectCache } from '../inspect/inspectCache.js';
import type { EntryInfo } from '../inspect/inspection.js';
import { matchesStemHost, SORT_KEYS, sortEntries, type SortKey } from '../inspect/selectEntries.js';

export interface ListInput {
  readonly host: string | undefined;
  readonly expired: boolean;
  readonly sort: SortKey;
  readonly limit: number | undefined;
}

export interface ListResult {
  readonly command: 'list';
  readonly dir: string;
  readonly filters: ListInput;
  /** Entries in the cache, before any filter: 0 when it is empty. */
  readonly total: number;
  /** Entries matching the filters, before `--limit`. */
  readonly matched: number;
  readonly entries: EntryInfo[];
}

const flagsSchema = z.object({
  host: z.string().min(1, { message: 'must not be empty' }).optional(),
  expired: z.boolean().default(false),
  sort: z.enum(SORT_KEYS, { message: `must be one of ${SORT_KEYS.join(', ')}` }).optional(),
  limit: integerFlag(1, Number.MAX_SAFE_INTEGER).optional(),
});

export const listCommand: CommandSpec<ListInput, ListResult> = {
  name: 'list',
  summary: 'list entries, filtered and sorted',
  usage: 'list [--host <host>] [--expired] [--sort size|age|hits] [--limit <n>]',
  flags: {
    host: { type: 'string', value: 'host', description: 'only entries of this host (`cdn.example.com` or `127.0.0.1:8080`)' },
    expired: { type: 'boolean', description: 'only expired entries' },
    sort: { type: 'string', value: 'size|age|hits', description: 'largest, oldest or most-hit first (default: by URL)' },
    limit: { type: 'string', value: 'n', description: 'print at most n entries' },
  },
  examples: ['bundle-cache list --sort size --limit 10', 'bundle-cache list --host cdn.example.com --expired'],
  parse(args) {
    expectPositionals(args, 0, 'list');
    const flags = validate(flagsSchema, args.values, 'list');
    return { host: flags.host, expired: flags.expired, sort: flags.sort ?? 'url', limit: flags.limit };
  },
  async run(context, input) {
    const { entries } = await inspectCache({ dir: context.dir, now: context.io.now() });
    const matching = entries.filter(entry =>
      (input.host === undefined || matchesStemHost(entry.stem, input.host)) && (!input.expired || entry.state === 'expired'));
    const sorted = sortEntries(matching, input.sort);
    return {
      command: 'list',
      dir: context.dir,
      filters: input,
      total: entries.length,
      matched: sorted.length,
      entries: input.limit === undefined ? sorted : sorted.slice(0, input.limit),
    };
  },
};

/** The text of `list`: the entries table, what `--limit` left out, and the corrupt ones. */
export function formatList(result: ListResult, view: TextView): string {
  if (!result.entries.length)
    return result.total ? 'no entries match\n' : `the cache at ${result.dir} is empty\n`;
  const lines = entriesTable(result.entries, view);
  if (result.matched > result.entries.length)
    lines.push(`… ${plural(result.matched - result.entries.length, 'more entry', 'more entries')} (--limit ${result.filters.limit})`);
  const corrupt = corruptLines(result.entries);
  if (corrupt.length)
    lines.push('', ...corrupt);
  return lines.join('\n') + '\n';
}
