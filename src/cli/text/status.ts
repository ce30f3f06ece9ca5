import type { TextView } from '../command.js';
import type { StatusResult } from '../commands/status.js';
import { formatBytes } from '../format/bytes.js';
import { formatAgo, formatDuration } from '../format/duration.js';
import { plural, renderFields } from '../format/table.js';
import { shortenUrl } from '../format/url.js';
import { corruptLines, entriesTable, urlWidth } from './entriesTable.js';
import { summaryText } from './sessions.js';
import { remoteFields } from './remoteStatus.js';

export function formatStatus(result: StatusResult, view: TextView): string {
  const { summary, limits, leftovers } = result;
  const fields: Array<[string, string]> = [
    ['dir', result.dir],
    ['format', `v${result.formatVersion}, ${indexState(result)}`],
    ['entries', `${summary.entries} (fresh ${summary.fresh}, expired ${summary.expired}, corrupt ${summary.corrupt})`],
    ['total size', formatBytes(summary.totalBytes)],
  ];
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
    lines.push('', ...entriesTable(result.entries, view));
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
