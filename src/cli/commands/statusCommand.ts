import { FORMAT_VERSION } from '../../core/meta.js';
import type { RemoteStatus } from '../../remote/remoteAdmin.js';
import { inspectSessions } from '../../sessions/inspectSessions.js';
import { expectPositionals } from '../args.js';
import type { CommandSpec, TextView } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { formatAgo, formatDuration } from '../format/duration.js';
import { corruptLines, entriesTable, noValidatorsNote, urlWidth } from '../format/entriesTable.js';
import { NO_VALIDATORS_FIX } from '../inspect/freshnessInfo.js';
import { plural, renderFields } from '../format/table.js';
import { shortenUrl } from '../format/url.js';
import { inspectCache } from '../inspect/inspectCache.js';
import type { EntryInfo, IndexState, Leftover } from '../inspect/inspection.js';
import { sortEntries } from '../inspect/selectEntries.js';
import { limitsOf, summarizeEntries, summarizeLeftovers, type EntrySummary, type LeftoverSummary, type Limits } from '../inspect/summarize.js';
import { summarizeSessions, summaryText, type SessionsSummary } from '../inspect/sessionsSummary.js';
import { probeRemote } from '../remoteTarget.js';

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

/** The text of `status`: the header fields, then the entries table and the corrupt entries. */
export function formatStatus(result: StatusResult, view: TextView): string {
  const { summary, limits, leftovers } = result;
  const fields: Array<[string, string]> = [
    ['dir', result.dir],
    ['format', `v${result.formatVersion}, ${indexState(result)}`],
    ['entries', `${summary.entries} (fresh ${summary.fresh}, expired ${summary.expired}, corrupt ${summary.corrupt})`],
    ['total size', formatBytes(summary.totalBytes)],
  ];
  if (summary.withoutValidators.entries)
    fields.push(['validators', `${plural(summary.withoutValidators.entries, 'entry has', 'entries have')} none (${formatBytes(summary.withoutValidators.bytes)}; none! below): no ETag, no Last-Modified, no version, so downloaded whole once per run. Fix: ${NO_VALIDATORS_FIX}`]);
  summary.hosts.forEach((host, i) => fields.push([i === 0 ? 'per host' : '', `${host.host}  ${formatBytes(host.bytes)} in ${plural(host.entries, 'entry', 'entries')}`]));
  const width = urlWidth(view);
  if (summary.oldest)
    fields.push(['oldest', `${shortenUrl(summary.oldest.url, width)}, stored ${formatAgo(summary.oldest.ageMs)}`]);
  if (summary.newest)
    fields.push(['newest', `${shortenUrl(summary.newest.url, width)}, stored ${formatAgo(summary.newest.ageMs)}`]);
  const used = limits.diskMaxBytes ? ` (${Math.round(summary.totalBytes / limits.diskMaxBytes * 1000) / 10}% used)` : '';
  fields.push(['limits', `max age ${formatDuration(limits.maxAgeMs)}, disk ${formatBytes(limits.diskMaxBytes)}${used}, memory ${formatBytes(limits.memoryMaxBytes)} for ${formatDuration(limits.memoryTtlMs)}, mode ${limits.mode}`]);
  if (result.remote)
    fields.push(...remoteFields(result.remote));
  if (leftovers.orphans + leftovers.temps + leftovers.staleLocks > 0) {
    const parts = [plural(leftovers.orphans, 'orphan'), plural(leftovers.temps, 'temp file'), plural(leftovers.staleLocks, 'stale lock')];
    fields.push(['to clean', `${parts.join(', ')} (${formatBytes(leftovers.bytes)}): run \`bundle-cache clean\``]);
  }
  if (result.heldLocks.length || result.writing.length) {
    const writing = result.writing.length ? `, ${plural(result.writing.length, 'entry', 'entries')} being written` : '';
    fields.push(['busy', `${plural(result.heldLocks.length, 'lock')} held by a running writer${writing}`]);
  }
  const { keySet, encrypted: sealed } = result.sessions;
  const encrypted = keySet ? 'encrypted' : sealed ? `${sealed} encrypted, no key set here` : 'plain JSON, not encrypted';
  fields.push(['sessions', result.sessions.files ? `${summaryText(result.sessions)} (${encrypted}); \`bundle-cache sessions\` lists them` : 'none']);
  const lines = renderFields(fields);
  if (result.entries.length)
    lines.push('', ...entriesTable(result.entries, view), ...noValidatorsNote(result.entries));
  const corrupt = corruptLines(result.entries);
  if (corrupt.length)
    lines.push('', ...corrupt, 'run `bundle-cache verify --fix` to remove corrupt entries');
  return lines.join('\n') + '\n';
}

function indexState(result: StatusResult): string {
  // The index is written with the first entry: a new cache has none, and needs none.
  if (result.index.state === 'missing' && !result.summary.entries)
    return 'empty (nothing stored yet)';
  if (result.index.state === 'missing')
    return 'cache_versions.json missing (hits unknown; `bundle-cache verify --fix` rebuilds it)';
  if (result.index.state === 'corrupt')
    return `cache_versions.json damaged${result.index.dropped ? ` (${plural(result.index.dropped, 'bad record')} dropped)` : ''}; \`bundle-cache verify --fix\` rebuilds it`;
  return 'cache_versions.json ok';
}

/** The `remote` line of `status`: where, whether it answers, and what this machine may do with it. */
function remoteFields(remote: RemoteStatus): Array<[string, string]> {
  const traits = [
    remote.reachable ? 'reachable' : 'unreachable',
    remote.readOnly ? 'read-only' : 'writable',
    remote.signed ? 'signed' : 'unsigned (no secret)',
    fleetLock(remote),
  ];
  const fields: Array<[string, string]> = [['remote', `${remote.location}: ${traits.join(', ')}`]];
  if (remote.error)
    fields.push(['', remote.error]);
  return fields;
}

function fleetLock(remote: RemoteStatus): string {
  if (remote.fleetLock)
    return 'fleet lock';
  return remote.kind === 'http' ? 'no fleet lock (HTTP: one fetch per machine)' : 'no fleet lock of its own (read-only: waits for the writers\' records)';
}
