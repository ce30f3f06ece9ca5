import type { TextView } from '../command.js';
import type { ShowResult } from '../commands/show.js';
import { formatBytes } from '../format/bytes.js';
import { formatAgo, formatDuration, formatTime } from '../format/duration.js';
import { renderFields, renderTable } from '../format/table.js';
import { historyTable } from './historyTable.js';
import { urlWidth } from './entriesTable.js';
import { validatorNames, type FreshnessInfo } from '../inspect/freshnessInfo.js';

export function formatShow(result: ShowResult, view: TextView): string {
  const { meta } = result;
  const fields: Array<[string, string]> = [
    ['entry', result.stem],
    ['state', stateText(result)],
  ];
  if (meta) {
    fields.push(
        ['url', meta.url],
        ['key', meta.key],
        ['resource', meta.resource],
        ['version', meta.version ?? '(none)'],
        ['rule', meta.rule],
        ['status', String(meta.status)],
        ['size', `${formatBytes(meta.size)} (${meta.size} bytes)`],
        ['sha256', `${meta.sha256} (${shaText(result)})`],
        ['stored', `${formatTime(meta.storedAt)} UTC (${formatAgo(result.ageMs)})`],
        ['expires', `${formatTime(meta.expiresAt)} UTC (${expiryText(result.expiresInMs ?? 0)})`],
    );
    if (result.freshness)
      fields.push(['freshness', freshnessText(result.freshness)]);
    if (meta.vary)
      fields.push(['vary', Object.entries(meta.vary).map(([name, value]) => `${name}: ${value}`).join(', ')]);
  }
  if (result.index)
    fields.push(['hits', `${result.index.hits}, last ${result.index.lastHitAt ? `${formatTime(result.index.lastHitAt)} UTC` : 'never'}`]);
  fields.push(
      ['body', `${result.files.body.path}${result.files.body.bytes === null ? ' (missing)' : ` (${result.files.body.bytes} bytes)`}`],
      ['meta', `${result.files.meta.path}${result.files.meta.bytes === null ? ' (missing)' : ''}`],
      ['lock', result.files.lock.state === 'none' ? 'not held' : `${result.files.lock.path} (${result.files.lock.state})`],
  );
  const lines = renderFields(fields);
  if (meta && Object.keys(meta.headers).length) {
    lines.push('', 'stored headers:');
    lines.push(...renderTable([{ header: 'NAME' }, { header: 'VALUE' }], Object.entries(meta.headers)).slice(1).map(line => `  ${line}`));
  }
  if (result.resource) {
    lines.push('', `versions of ${result.resource.id}${result.resource.multiVersion ? ' (several versions in use, all kept)' : ''}:`);
    lines.push(...historyTable(result.resource, urlWidth(view)).map(line => `  ${line}`));
  }
  return lines.join('\n') + '\n';
}

function freshnessText(info: FreshnessInfo): string {
  const validators = `validators: ${validatorNames(info)}`;
  const checked = info.lastRevalidatedAt ? `, last 304 ${formatTime(info.lastRevalidatedAt)} UTC (${formatAgo(info.lastRevalidatedAgoMs)}), ${info.revalidations} in all` : ', never revalidated';
  const legacy = info.legacy ? ' (written by an earlier release: judged from its URL and stored headers)' : '';
  if (info.kind === 'immutable')
    return `immutable: used until it expires without asking the origin; ${validators}${legacy}`;
  return `revalidated: fresh by the origin's headers until ${formatTime(info.freshUntil!)} UTC, then checked with a conditional request; ${validators}${checked}${legacy}`;
}

function stateText(result: ShowResult): string {
  switch (result.state) {
    case 'corrupt':
      return `corrupt: ${result.problem}`;
    case 'orphan-body':
      return 'orphan: a body without meta.json (a crashed write); `bundle-cache clean` removes it';
    case 'orphan-meta':
      return 'orphan: meta.json without its body; `bundle-cache clean` removes it';
    default:
      return result.state;
  }
}

function shaText(result: ShowResult): string {
  if (result.sha256.matches)
    return 'the body matches';
  return result.sha256.actual ? `MISMATCH: the body hashes to ${result.sha256.actual}` : 'body not hashed';
}

function expiryText(expiresInMs: number): string {
  return expiresInMs > 0 ? `in ${formatDuration(expiresInMs)}` : `expired ${formatDuration(expiresInMs)} ago`;
}
