import path from 'node:path';
import { z } from 'zod';
import { expectPositionals, validate } from '../args.js';
import { usageError } from '../cliError.js';
import type { CommandSpec } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { plural } from '../format/table.js';
import { inspectCache } from '../inspect/inspectCache.js';
import { matchesStemHost } from '../inspect/selectEntries.js';
import { removalLines } from '../removal/removalLines.js';
import { runRemovals, type RemovalReport, type RemovalTask } from '../removal/runRemovals.js';

export interface ClearInput {
  readonly host: string | undefined;
  readonly yes: boolean;
}

export interface ClearResult extends RemovalReport {
  readonly command: 'clear';
  readonly dir: string;
  readonly host: string | null;
  /** True when the user answered no: nothing was removed. */
  readonly aborted: boolean;
}

const flagsSchema = z.object({
  host: z.string().min(1, { message: 'must not be empty' }).optional(),
  yes: z.boolean().default(false),
});

export const clearCommand: CommandSpec<ClearInput, ClearResult> = {
  name: 'clear',
  summary: 'remove entries (all, or one host\'s); asks first unless --yes',
  usage: 'clear [--host <host>] [--yes]',
  flags: {
    host: { type: 'string', value: 'host', description: 'only entries of this host' },
    yes: { type: 'boolean', short: 'y', description: 'do not ask; required when stdin is not a terminal' },
  },
  examples: ['bundle-cache clear --host cdn.example.com', 'bundle-cache clear --yes'],
  parse(args) {
    expectPositionals(args, 0, 'clear');
    const flags = validate(flagsSchema, args.values, 'clear');
    return { host: flags.host, yes: flags.yes };
  },
  async run(context, input) {
    const { io, dir } = context;
    if (!input.yes && !io.stdinIsTTY)
      throw usageError('refusing to clear without --yes: stdin is not a terminal, so nobody can confirm', 'clear');
    const now = io.now();
    const { entries, leftovers } = await inspectCache({ dir, now });
    const inHost = (stem: string) => input.host === undefined || matchesStemHost(stem, input.host);
    const tasks: RemovalTask[] = [
      ...entries.filter(entry => inHost(entry.stem)).map(entry => ({ kind: 'entry' as const, path: entry.stem, lockBase: path.join(dir, entry.stem), url: entry.url })),
      // Half entries and temp files of those hosts go too; index temps and locks are `clean`'s.
      ...leftovers.filter(item => item.path.startsWith('v1/') && item.kind !== 'stale-lock' && inHost(item.path))
          .map(item => ({ kind: item.kind, path: item.path, lockBase: item.lockBase, url: null })),
    ];
    const base = { command: 'clear' as const, dir, host: input.host ?? null };
    if (!tasks.length)
      return { ...base, aborted: false, removed: [], skipped: [], freedBytes: 0 };
    if (!input.yes) {
      const count = tasks.filter(task => task.kind === 'entry').length;
      const bytes = entries.filter(entry => inHost(entry.stem)).reduce((sum, entry) => sum + entry.size, 0);
      const what = `${plural(count, 'entry', 'entries')} (${formatBytes(bytes)})${input.host ? ` of ${input.host}` : ''}`;
      if (!await io.confirm(`Remove ${what} from ${dir}? [y/N] `))
        return { ...base, aborted: true, removed: [], skipped: [], freedBytes: 0 };
    }
    return { ...base, aborted: false, ...await runRemovals(dir, tasks, () => now, async () => true) };
  },
  exitCode: result => result.aborted || result.skipped.length ? 1 : 0,
};

/** The text of `clear`: what was removed, or why nothing was. */
export function formatClear(result: ClearResult): string {
  if (result.aborted)
    return 'nothing removed\n';
  const nothing = result.host ? `no entries for ${result.host} in ${result.dir}` : `the cache at ${result.dir} is empty: nothing to clear`;
  return removalLines(result, nothing).join('\n') + '\n';
}
