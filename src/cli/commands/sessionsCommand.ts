import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isTempOf } from '../../disk/atomicWrite.js';
import { LockManager } from '../../disk/locks.js';
import { SESSIONS_DIR } from '../../sessions/fingerprint.js';
import { inspectSessions, type SessionInfo } from '../../sessions/inspectSessions.js';
import { usageError } from '../cliError.js';
import type { CommandSpec } from '../command.js';
import { formatDuration, formatTime } from '../format/duration.js';
import { plural, renderFields, renderTable } from '../format/table.js';
import { summarizeSessions, summaryText, type SessionsSummary } from '../inspect/sessionsSummary.js';
import { removeFiles } from '../removal/removeFiles.js';
import { underLock } from '../removal/underLock.js';

export type SessionsInput = { readonly action: 'list' } | { readonly action: 'clear'; readonly name: string | null };

export interface SessionsListResult {
  readonly command: 'sessions';
  readonly dir: string;
  readonly summary: SessionsSummary;
  /** By name; never a cookie or storage value. */
  readonly sessions: SessionInfo[];
}

export interface SessionsClearResult {
  readonly command: 'sessions clear';
  readonly dir: string;
  /** The session cleared, or null for all. */
  readonly name: string | null;
  readonly removed: Array<{ readonly name: string | null; readonly file: string }>;
  /** `busy`: a process is warming that session right now (it holds the lock). */
  readonly skipped: Array<{ readonly name: string | null; readonly file: string; readonly reason: string }>;
}

export type SessionsResult = SessionsListResult | SessionsClearResult;

export const sessionsCommand: CommandSpec<SessionsInput, SessionsResult> = {
  name: 'sessions',
  summary: 'the warmed sessions: name, age, expiry, origins, counts, generation, encrypted or not (never a value); `sessions clear [name]` drops them',
  usage: 'sessions [clear [name]]',
  flags: {},
  arguments: [
    { name: 'clear', description: 'remove the stored sessions (each under its lock): the next use warms them again; also resets their circuit breaker' },
    { name: 'name', description: 'only the session of this name (every user agent, proxy… it was stored for)' },
  ],
  examples: ['bundle-cache sessions', 'bundle-cache sessions clear alice', 'bundle-cache sessions --json | jq \'.sessions[] | {name, status, expiresInMs}\''],
  parse(args) {
    const [action, name, extra] = args.positionals;
    if (action === undefined)
      return { action: 'list' };
    if (action !== 'clear')
      throw usageError(`unexpected argument ${JSON.stringify(action)}; the only subcommand is "clear"`, 'sessions');
    if (extra !== undefined)
      throw usageError(`unexpected argument ${JSON.stringify(extra)}`, 'sessions');
    return { action: 'clear', name: name ?? null };
  },
  async run(context, input) {
    const { dir, io } = context;
    const secret = context.options.sessions.key;
    const sessions = await inspectSessions(dir, secret, io.now());
    if (input.action === 'list')
      return { command: 'sessions', dir, summary: summarizeSessions(sessions, secret !== undefined), sessions };
    const targets = sessions.filter(info => input.name === null || info.name === input.name);
    return { command: 'sessions clear', dir, name: input.name, ...await removeSessions(dir, targets) };
  },
  exitCode: result => result.command === 'sessions clear' && (result.skipped.length > 0 || (result.name !== null && !result.removed.length)) ? 1 : 0,
};

/** Each file under the lock its writers take (one attempt: a live warm-up's lock means busy), with its temp files. */
async function removeSessions(dir: string, targets: readonly SessionInfo[]): Promise<Pick<SessionsClearResult, 'removed' | 'skipped'>> {
  const locks = new LockManager();
  const removed: SessionsClearResult['removed'] = [];
  const skipped: SessionsClearResult['skipped'] = [];
  const sessionsDir = path.join(dir, SESSIONS_DIR);
  const names = await fsp.readdir(sessionsDir).catch(() => [] as string[]);
  for (const target of targets) {
    const file = path.join(dir, target.file);
    const base = path.basename(file);
    try {
      const outcome = await underLock(locks, file.slice(0, -'.json'.length), async () => {
        const temps = names.filter(name => isTempOf(base, name)).map(name => path.join(sessionsDir, name));
        await removeFiles([file, ...temps]);
      });
      if (outcome.busy)
        skipped.push({ name: target.name, file: target.file, reason: 'busy' });
      else
        removed.push({ name: target.name, file: target.file });
    } catch (error) {
      skipped.push({ name: target.name, file: target.file, reason: (error as Error).message });
    }
  }
  return { removed, skipped };
}

/** The text of `sessions` (the table and its notes) and of `sessions clear`. */
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

function encryptionText(summary: SessionsSummary): string {
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
