import { FORMAT_VERSION } from '../../core/meta.js';
import { expectPositionals } from '../args.js';
import type { CommandSpec } from '../command.js';
import type { RemoteStatus } from '../../remote/remoteTier.js';
import { probeRemote } from '../remoteTarget.js';
import { inspectCache } from '../inspect/inspectCache.js';
import type { EntryInfo, IndexState, Leftover } from '../inspect/model.js';
import { sortEntries } from '../inspect/select.js';
import { limitsOf, summarizeEntries, summarizeLeftovers, type EntrySummary, type LeftoverSummary, type Limits } from '../inspect/summarize.js';
import { inspectSessions } from '../../sessions/inspect.js';
import { summarizeSessions, type SessionsSummary } from './sessions.js';

export interface StatusResult {
  readonly command: 'status';
  readonly dir: string;
  readonly formatVersion: number;
  readonly index: { readonly state: IndexState; readonly dropped: number };
  readonly summary: EntrySummary;
  readonly limits: Limits;
  readonly leftovers: LeftoverSummary & { readonly items: Leftover[] };
  readonly heldLocks: string[];
  readonly writing: string[];
  /** The remote tier ($BUNDLE_CACHE_REMOTE), asked now; null when none is configured. */
  readonly remote: RemoteStatus | null;
  /** By URL. */
  readonly entries: EntryInfo[];
  /** The warmed sessions in `<dir>/sessions/` (`bundle-cache sessions` lists them). */
  readonly sessions: SessionsSummary;
}

export const statusCommand: CommandSpec<Record<string, never>, StatusResult> = {
  name: 'status',
  summary: 'the cache-status report: totals, limits and a table of entries',
  usage: 'status',
  flags: {},
  examples: ['bundle-cache status', 'bundle-cache status --json | jq .summary'],
  parse(args) {
    expectPositionals(args, 0, 'status');
    return {};
  },
  async run(context) {
    const inspection = await inspectCache({ dir: context.dir, now: context.io.now() });
    return {
      command: 'status',
      dir: inspection.dir,
      formatVersion: FORMAT_VERSION,
      index: { state: inspection.index.state, dropped: inspection.index.dropped },
      summary: summarizeEntries(inspection.entries),
      limits: limitsOf(context.options),
      leftovers: { ...summarizeLeftovers(inspection.leftovers), items: inspection.leftovers },
      heldLocks: inspection.heldLocks,
      writing: inspection.writing,
      remote: await probeRemote(context),
      entries: sortEntries(inspection.entries, 'url'),
      sessions: summarizeSessions(await inspectSessions(context.dir, context.options.sessions.key, context.io.now()), context.options.sessions.key !== undefined),
    };
  },
};
