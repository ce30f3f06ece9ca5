import type { SessionsClearResult, SessionsListResult, SessionsResult, SessionsSummary } from '../commands/sessions.js';
import { formatDuration, formatTime } from '../format/duration.js';
import { plural, renderFields, renderTable } from '../format/table.js';
import type { SessionInfo } from '../../sessions/inspect.js';

export function formatSessions(result: SessionsResult): string {
  return (result.command === 'sessions' ? listLines(result) : clearLines(result)).join('\n') + '\n';
}

function listLines(result: SessionsListResult): string[] {
  const { summary } = result;
  const lines = renderFields([
    ['dir', result.dir],
    ['sessions', summaryText(summary)],
    ['encryption', encryptionText(summary)],
  ]);
  if (!result.sessions.length)
    return lines;
  const rows = result.sessions.map(info => [
    info.name ?? '?',
    info.status,
    info.ageMs === null ? '—' : formatDuration(info.ageMs),
    expiresIn(info),
    info.generation === null ? '—' : String(info.generation),
    info.cookies === null ? '—' : String(info.cookies),
    info.storageKeys === null ? '—' : String(info.storageKeys),
    info.encrypted === null ? '—' : info.encrypted ? 'yes' : 'no',
    info.origins === null ? (info.encrypted && info.problem ? '(encrypted)' : '—') : info.origins.join(' '),
  ]);
  lines.push('', ...renderTable([
    { header: 'NAME' }, { header: 'STATUS' }, { header: 'AGE', align: 'right' }, { header: 'EXPIRES IN', align: 'right' },
    { header: 'GEN', align: 'right' }, { header: 'COOKIES', align: 'right' }, { header: 'STORAGE', align: 'right' },
    { header: 'ENCRYPTED' }, { header: 'ORIGINS' },
  ], rows));
  const notes = result.sessions.flatMap(info => note(info));
  if (notes.length)
    lines.push('', ...notes);
  return lines;
}

/** `3: 1 stored, 1 expired, 1 dropped` (the non-zero ones), or `none`. */
export function summaryText(summary: SessionsSummary): string {
  if (!summary.files)
    return 'none';
  const parts = (['stored', 'expired', 'dropped', 'unreadable', 'corrupt'] as const).filter(status => summary[status]).map(status => `${summary[status]} ${status}`);
  return `${summary.files}: ${parts.join(', ')}`;
}

export function encryptionText(summary: SessionsSummary): string {
  if (summary.keySet)
    return 'on: BUNDLE_CACHE_SESSION_KEY is set; states are written AES-256-GCM encrypted';
  const unreadable = summary.encrypted ? `; ${plural(summary.encrypted, 'file is', 'files are')} encrypted, and without the key their origins and counts cannot be read` : '';
  return `off: states are written as plain JSON (0600, readable by this user only); set BUNDLE_CACHE_SESSION_KEY (openssl rand -base64 32) to encrypt them${unreadable}`;
}

function expiresIn(info: SessionInfo): string {
  if (info.expiresInMs === null)
    return '—';
  return info.expiresInMs <= 0 ? 'expired' : formatDuration(info.expiresInMs);
}

function note(info: SessionInfo): string[] {
  const who = info.name ?? info.file;
  if (info.status === 'dropped' && info.dropped)
    return [`${who}: ${info.dropped.kind} (${info.dropped.reason}) at ${formatTime(info.dropped.at)} UTC; the next use warms it again`];
  if (info.status === 'unreadable' || info.status === 'corrupt')
    return [`${who}: ${info.status}: ${info.problem}; the next use warms it again (\`bundle-cache sessions clear${info.name ? ` ${info.name}` : ''}\` removes it now)`];
  if (info.status === 'expired')
    return [`${who}: expired (${info.expiryReason}); the next use warms it again`];
  return [];
}

function clearLines(result: SessionsClearResult): string[] {
  if (!result.removed.length && !result.skipped.length)
    return [result.name === null ? `no sessions in ${result.dir}` : `no session named ${JSON.stringify(result.name)} in ${result.dir}`];
  const lines: string[] = [];
  if (result.removed.length) {
    lines.push(`removed ${plural(result.removed.length, 'session file')}; the next use of each warms it again`);
    lines.push(...result.removed.map(item => `  - ${item.name ?? '?'}  ${item.file}`));
  }
  if (result.skipped.length) {
    lines.push(`left ${result.skipped.length} in place:`);
    lines.push(...result.skipped.map(item => `  ! ${item.name ?? '?'}  ${item.file}: ${item.reason === 'busy' ? 'a process is warming it right now (it holds the lock); run again when it is done' : item.reason}`));
  }
  return lines;
}
