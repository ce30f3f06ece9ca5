import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { isTempOf } from '../../disk/atomicWrite.js';
import { LockManager } from '../../disk/locks.js';
import { SESSIONS_DIR } from '../../sessions/fingerprint.js';
import { inspectSessions, type SessionInfo } from '../../sessions/inspect.js';
import { usageError } from '../cliError.js';
import type { CommandSpec } from '../command.js';
import { removeFiles } from '../maintain/removeFiles.js';
import { underLock } from '../maintain/underLock.js';

export type SessionsInput = { readonly action: 'list' } | { readonly action: 'clear'; readonly name: string | null };

/** Counts by status, for `sessions` and the one line of `status`. */
export interface SessionsSummary {
  readonly files: number;
  readonly stored: number;
  readonly expired: number;
  readonly dropped: number;
  readonly unreadable: number;
  readonly corrupt: number;
  /** Files whose state is encrypted. */
  readonly encrypted: number;
  /** Whether a key (BUNDLE_CACHE_SESSION_KEY) is set here, to read and to write encrypted files. */
  readonly keySet: boolean;
}

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

export function summarizeSessions(sessions: readonly SessionInfo[], keySet: boolean): SessionsSummary {
  const count = (status: SessionInfo['status']) => sessions.filter(info => info.status === status).length;
  return {
    files: sessions.length,
    stored: count('stored'),
    expired: count('expired'),
    dropped: count('dropped'),
    unreadable: count('unreadable'),
    corrupt: count('corrupt'),
    encrypted: sessions.filter(info => info.encrypted).length,
    keySet,
  };
}

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
