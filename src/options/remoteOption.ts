import { z } from 'zod';
import { BundleCacheError } from '../errors.js';
import { checkRemoteUrl, redactUrl, URL_FORMS, type RemoteKind } from './remoteUrl.js';
import { parseDuration } from './units.js';

/** The remote after validation, with every default applied. */
export interface ResolvedRemote {
  readonly kind: RemoteKind;
  /** The URL to connect to, credentials included: never print it (use `location`). */
  readonly url: string;
  /** The URL without its password. */
  readonly location: string;
  readonly readOnly: boolean;
  readonly secret: string | undefined;
  readonly timeoutMs: number;
  /** Redis key prefix (`''` for HTTP). */
  readonly prefix: string;
}

/** The default bound for connecting and for each small operation (records, locks, pings). */
export const DEFAULT_TIMEOUT_MS = 2_000;
export const DEFAULT_REDIS_PREFIX = 'bundle-cache:';
export const MIN_SECRET_LENGTH = 32;
export const REMOTE_OPTION_KEYS = ['url', 'readOnly', 'secret', 'timeout', 'prefix'] as const;
const SECRET_FIX = 'generate one with: openssl rand -base64 32';

function received(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(redactUrl(value));
  return JSON.stringify(value) ?? String(value);
}

const url = z.unknown().transform((value, ctx) => {
  if (typeof value !== 'string' || value === '') {
    ctx.addIssue({ code: 'custom', message: `expected a URL (${URL_FORMS}); got ${received(value)}` });
    return z.NEVER;
  }
  const checked = checkRemoteUrl(value);
  if (!checked.ok) {
    ctx.addIssue({ code: 'custom', message: checked.message });
    return z.NEVER;
  }
  return checked.url;
});

const objectSchema = z.strictObject({
  url,
  readOnly: z.boolean({ error: issue => `expected true or false; got ${received(issue.input)}` }).optional(),
  // The secret itself never appears in a message.
  secret: z.string({ error: 'expected a string of at least 32 characters' })
      .min(MIN_SECRET_LENGTH, { error: issue => `must be at least ${MIN_SECRET_LENGTH} characters (got ${String(issue.input).length}); ${SECRET_FIX}` }).optional(),
  timeout: z.unknown().transform((value, ctx) => {
    const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `expected a duration greater than 0: milliseconds or a string like '500ms', '2s'; got ${received(value)}` });
      return z.NEVER;
    }
    return ms;
  }).optional(),
  prefix: z.string({ error: issue => `expected a string; got ${received(issue.input)}` })
      .regex(/^[!-~]{1,200}$/, { error: 'must be 1 to 200 printable ASCII characters without spaces, e.g. \'bundle-cache:\'' }).optional(),
});

/** The parsed option: `false`, or the object form with a checked, normalized URL and the timeout in ms. */
export type ParsedRemoteOption = false | z.output<typeof objectSchema>;

/**
 * The zod piece for `remote` in the options schema. Its output is again a
 * valid input (the object form), so `resolveRemote` may be given either.
 */
export const remoteOptionSchema = z.unknown().transform((input, ctx): ParsedRemoteOption => {
  if (input === false)
    return false;
  const parsed = objectSchema.safeParse(typeof input === 'string' ? { url: input } : input);
  if (parsed.success) {
    if (parsed.data.prefix !== undefined && /^https?:/.test(parsed.data.url)) {
      ctx.addIssue({ code: 'custom', path: ['prefix'], message: 'applies to Redis only; for an HTTP remote the URL\'s path is the prefix (http://host/prefix/)' });
      return z.NEVER;
    }
    return parsed.data;
  }
  if (typeof input !== 'string' && (typeof input !== 'object' || input === null)) {
    ctx.addIssue({ code: 'custom', message: `expected a URL (${URL_FORMS}), { url, readOnly?, secret?, timeout?, prefix? } or false; got ${received(input)}` });
    return z.NEVER;
  }
  for (const issue of parsed.error.issues)
    ctx.addIssue({ ...issue, path: typeof input === 'string' ? [] : issue.path } as never);
  return z.NEVER;
});

/**
 * Resolves the remote from the option (raw, or `remoteOptionSchema`'s output)
 * and the environment: the option wins over `BUNDLE_CACHE_REMOTE`, a secret
 * given in the option over `BUNDLE_CACHE_REMOTE_SECRET`, and either the
 * option or `BUNDLE_CACHE_REMOTE_READONLY` makes the remote read-only.
 * `undefined` when there is no remote. Throws `ERR_OPTIONS` naming the
 * option or variable and the fix.
 */
export function resolveRemote(value: unknown, env: NodeJS.ProcessEnv = process.env): ResolvedRemote | undefined {
  const option = value === undefined ? fromEnv(env) : parseOption(value);
  if (!option)
    return undefined;
  const checked = checkRemoteUrl(option.url);
  if (!checked.ok)
    throw new Error(`unreachable: the URL was checked by the schema (${checked.message})`);
  return {
    kind: checked.kind,
    url: checked.url,
    location: redactUrl(checked.url),
    readOnly: option.readOnly === true || readOnlyFromEnv(env),
    secret: option.secret ?? secretFromEnv(env),
    timeoutMs: option.timeout ?? DEFAULT_TIMEOUT_MS,
    prefix: checked.kind === 'redis' ? option.prefix ?? DEFAULT_REDIS_PREFIX : '',
  };
}

function parseOption(value: unknown): ParsedRemoteOption {
  const parsed = remoteOptionSchema.safeParse(value);
  if (parsed.success)
    return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const guess = REMOTE_OPTION_KEYS.find(name => name.toLowerCase() === key.toLowerCase());
    const hint = guess ? `did you mean "remote.${guess}"?` : `known options here: ${REMOTE_OPTION_KEYS.join(', ')}.`;
    return fail(`Unknown bundle-cache option "remote.${key}": ${hint}`, `remote.${key}`);
  }
  const option = ['remote', ...issue.path.map(String)].join('.');
  return fail(`Invalid bundle-cache option "${option}": ${issue.message}. Fix this value where the options are given (BundleCache.open() or the bundleCache fixture option).`, option);
}

function fromEnv(env: NodeJS.ProcessEnv): ParsedRemoteOption {
  const text = env.BUNDLE_CACHE_REMOTE;
  if (!text)
    return false;
  const checked = checkRemoteUrl(text);
  if (!checked.ok)
    return fail(`BUNDLE_CACHE_REMOTE=${JSON.stringify(redactUrl(text))} is not a remote: ${checked.message}. Fix: set it to ${URL_FORMS}, or unset it.`, 'BUNDLE_CACHE_REMOTE');
  return { url: checked.url };
}

function secretFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const secret = env.BUNDLE_CACHE_REMOTE_SECRET;
  if (!secret)
    return undefined;
  if (secret.length < MIN_SECRET_LENGTH)
    return fail(`BUNDLE_CACHE_REMOTE_SECRET is ${secret.length} characters long; a secret must be at least ${MIN_SECRET_LENGTH}. Fix: ${SECRET_FIX}, or unset it.`, 'BUNDLE_CACHE_REMOTE_SECRET');
  return secret;
}

function readOnlyFromEnv(env: NodeJS.ProcessEnv): boolean {
  const value = env.BUNDLE_CACHE_REMOTE_READONLY;
  if (value === undefined || value === '' || value === '0' || value.toLowerCase() === 'false')
    return false;
  if (value === '1' || value.toLowerCase() === 'true')
    return true;
  return fail(`BUNDLE_CACHE_REMOTE_READONLY=${JSON.stringify(value)} is not a switch. Fix: set it to 1 or true (never write to the remote), 0 or false, or unset it.`, 'BUNDLE_CACHE_REMOTE_READONLY');
}

function fail(message: string, option: string): never {
  throw new BundleCacheError('ERR_OPTIONS', message, { option });
}
