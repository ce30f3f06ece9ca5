import type { BundleCacheError } from '../errors.js';
import { z } from 'zod';
import { DEFAULT_REDIS_PREFIX, resolveRemote, type ResolvedRemote } from '../options/remoteOption.js';
import { RemoteAdmin, type RemoteStatus } from '../remote/remoteAdmin.js';
import { RemoteTier } from '../remote/remoteTier.js';
import { checkRemoteUrl, URL_FORMS } from '../options/remoteUrl.js';
import { usageError } from './cliError.js';
import type { CommandContext, FlagSpec } from './command.js';

/** `--remote <url>` and `--prefix <prefix>` of `push` and `remote verify`. */
export const REMOTE_FLAGS: Readonly<Record<string, FlagSpec>> = {
  remote: {
    type: 'string',
    value: 'url',
    description: 'the remote: redis://…, rediss://… or http(s)://host/prefix/ (default: $BUNDLE_CACHE_REMOTE; the secret is $BUNDLE_CACHE_REMOTE_SECRET)',
  },
  prefix: { type: 'string', value: 'prefix', description: `Redis key prefix, as the remote option's prefix (default: ${DEFAULT_REDIS_PREFIX})` },
};

export const remoteFlagsSchema = z.object({ remote: z.string().optional(), prefix: z.string().optional() });

export type RemoteFlags = z.output<typeof remoteFlagsSchema>;

/** A problem the remote tier reported, as the CLI prints it. */
export interface RemoteProblemLine {
  readonly code: string;
  readonly message: string;
}

/** Where a command's remote is, as printed: never its password, nor its secret. */
export interface RemoteDescription {
  readonly kind: ResolvedRemote['kind'];
  readonly location: string;
  readonly readOnly: boolean;
  readonly signed: boolean;
}

export interface OpenedRemote {
  readonly tier: RemoteTier;
  readonly description: RemoteDescription;
  /** Filled as the tier reports problems. */
  readonly problems: RemoteProblemLine[];
}

/**
 * The remote a command works on: `--remote`, else `$BUNDLE_CACHE_REMOTE`,
 * with the secret and the read-only switch from the environment, as the
 * library resolves them. A usage error when there is none or the URL is bad.
 */
export function chooseRemote(context: CommandContext, flags: RemoteFlags, command: string): ResolvedRemote {
  const url = flags.remote ?? (context.io.env.BUNDLE_CACHE_REMOTE || undefined);
  if (url === undefined)
    throw usageError(`no remote to ${command === 'push' ? 'push to' : 'check'}: give --remote <url> (${URL_FORMS}) or set BUNDLE_CACHE_REMOTE`, command);
  const checked = checkRemoteUrl(url);
  if (!checked.ok)
    throw usageError(`${flags.remote === undefined ? 'BUNDLE_CACHE_REMOTE' : '--remote'}: ${checked.message}`, command);
  if (flags.prefix !== undefined && checked.kind !== 'redis')
    throw usageError('--prefix applies to Redis only; for an HTTP remote the URL\'s path is the prefix (http://host/prefix/)', command);
  // Validated as the option is (a bad prefix names remote.prefix and its rule); the secret and read-only switch come from the environment.
  return resolveRemote({ url, ...flags.prefix === undefined ? {} : { prefix: flags.prefix } }, context.io.env)!;
}

/** `chooseRemote()`, opened as a tier to upload to: its problems are collected as they are reported. */
export function openRemote(context: CommandContext, flags: RemoteFlags, command: string): OpenedRemote {
  const remote = chooseRemote(context, flags, command);
  const problems: RemoteProblemLine[] = [];
  const tier = RemoteTier.open(remote, { report: (error: BundleCacheError) => problems.push({ code: error.code, message: error.message }), now: () => context.io.now() });
  return { tier, problems, description: describeRemote(remote) };
}

/** `redis://127.0.0.1:6379 (signed, read-only)`: where, and whether its records are signed; never a password. */
export function remoteLabel(remote: RemoteDescription): string {
  const traits = [remote.signed ? 'signed' : 'unsigned', ...remote.readOnly ? ['read-only'] : []];
  return `${remote.location} (${traits.join(', ')})`;
}

export function describeRemote(remote: ResolvedRemote): RemoteDescription {
  return { kind: remote.kind, location: remote.location, readOnly: remote.readOnly, signed: remote.secret !== undefined };
}

/** The configured remote (options from the environment), asked now; null when none is configured. Never throws. */
export async function probeRemote(context: CommandContext): Promise<RemoteStatus | null> {
  const remote = context.options.remote;
  if (!remote || context.options.mode === 'off')
    return null;
  const admin = RemoteAdmin.open(remote);
  try {
    return await admin.status();
  } finally {
    await admin.close();
  }
}
