import path from 'node:path';
import type { z } from 'zod';
import { BundleCacheError } from '../errors.js';
import { optionsSchema } from './schema.js';
import { checkSessionKey, type ResolvedSessionOptions } from './sessionOptions.js';
import { parseByteSize, parseDuration } from './units.js';
import { defaultRules } from '../rules/defaultRules.js';
import { compileMatcher, matcherName, type ResolvedRule } from '../rules/rules.js';
import { ruleHosts } from '../rules/ruleHosts.js';
import type { BundleCacheOptions, CacheMode, ServeMode } from '../types.js';
import { REVALIDATE_MODES, type RevalidateMode } from '../freshness/decide.js';
import { REMOTE_OPTION_KEYS, resolveRemote, type ResolvedRemote } from './remoteOption.js';

/** Options after validation, with every default applied; passed around inside the cache. */
export interface ResolvedOptions {
  readonly dir: string;
  readonly rules: readonly ResolvedRule[];
  readonly maxAgeMs: number;
  readonly memory: { readonly maxBytes: number; readonly ttlMs: number };
  readonly disk: { readonly maxBytes: number };
  readonly versioning: boolean;
  readonly revalidate: RevalidateMode;
  /** How long past its freshness a stored copy may stand in for a failed origin; false: only as the origin's stale-if-error allows. */
  readonly staleIfErrorMs: number | false;
  /** The shared tier behind disk, if any (from `remote` or `$BUNDLE_CACHE_REMOTE`). */
  readonly remote: ResolvedRemote | undefined;
  readonly mode: CacheMode;
  readonly serve: ServeMode;
  readonly now: () => number;
  /** The secret that encrypts session files (`sessions.key`, else `$BUNDLE_CACHE_SESSION_KEY`), and the sessions declared by name. */
  readonly sessions: { readonly key: string | undefined; readonly declared: ReadonlyMap<string, ResolvedSessionOptions> };
}

export const DEFAULTS = {
  dir: './cache',
  maxAgeMs: parseDuration('24h')!,
  memoryMaxBytes: parseByteSize('100MB')!,
  memoryTtlMs: parseDuration('5m')!,
  diskMaxBytes: parseByteSize('1GB')!,
} as const;

const MODES: readonly CacheMode[] = ['default', 'refresh', 'offline', 'off'];
const KNOWN: Record<string, readonly string[]> = {
  '': Object.keys(optionsSchema.shape),
  memory: ['maxBytes', 'ttl'],
  disk: ['maxBytes'],
  remote: REMOTE_OPTION_KEYS,
};

/** Validates options once, at the boundary; throws `ERR_OPTIONS` naming the option and the fix. */
export function resolveOptions(input: BundleCacheOptions | undefined, env: NodeJS.ProcessEnv = process.env): ResolvedOptions {
  const parsed = optionsSchema.safeParse(input ?? {});
  if (!parsed.success)
    throw optionsError(parsed.error.issues[0]!, input);
  const options = parsed.data;
  const maxAgeMs = options.maxAge ?? DEFAULTS.maxAgeMs;
  const revalidate = options.revalidate ?? revalidateFromEnv(env);
  const rules = options.rules ?? defaultRules.map(rule => ({ name: rule.name ?? matcherName(rule.match), test: compileMatcher(rule.match), hosts: ruleHosts(rule.match), maxAgeMs: undefined, revalidate: rule.revalidate }));
  return {
    dir: path.resolve(options.dir ?? (env.BUNDLE_CACHE_DIR || DEFAULTS.dir)),
    rules: rules.map(rule => ({ ...rule, maxAgeMs: rule.maxAgeMs ?? maxAgeMs, revalidate: rule.revalidate ?? revalidate })),
    maxAgeMs,
    memory: { maxBytes: options.memory?.maxBytes ?? DEFAULTS.memoryMaxBytes, ttlMs: options.memory?.ttl ?? DEFAULTS.memoryTtlMs },
    disk: { maxBytes: options.disk?.maxBytes ?? DEFAULTS.diskMaxBytes },
    versioning: options.versioning ?? true,
    revalidate,
    staleIfErrorMs: options.staleIfError ?? false,
    remote: resolveRemote(options.remote, env),
    mode: options.mode ?? modeFromEnv(env),
    serve: options.serve ?? 'auto',
    now: options.now ?? Date.now,
    sessions: { key: options.sessions?.key ?? sessionKeyFromEnv(env), declared: options.sessions?.declared ?? new Map() },
  };
}

function sessionKeyFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const value = env.BUNDLE_CACHE_SESSION_KEY;
  if (!value)
    return undefined;
  const problem = checkSessionKey(value);
  if (problem)
    throw new BundleCacheError('ERR_OPTIONS', `BUNDLE_CACHE_SESSION_KEY cannot encrypt session files: ${problem}. Fix: set it to the output of \`openssl rand -base64 32\`, or unset it.`, { option: 'BUNDLE_CACHE_SESSION_KEY' });
  return value;
}

function modeFromEnv(env: NodeJS.ProcessEnv): CacheMode {
  const value = env.BUNDLE_CACHE_MODE;
  if (!value)
    return 'default';
  if (!(MODES as readonly string[]).includes(value)) {
    throw new BundleCacheError('ERR_OPTIONS',
        `BUNDLE_CACHE_MODE=${JSON.stringify(value)} is not a mode. Fix: set it to one of ${MODES.join(', ')}, or unset it.`,
        { option: 'BUNDLE_CACHE_MODE', received: value });
  }
  return value as CacheMode;
}

function revalidateFromEnv(env: NodeJS.ProcessEnv): RevalidateMode {
  const value = env.BUNDLE_CACHE_REVALIDATE;
  if (!value)
    return 'run';
  if (!(REVALIDATE_MODES as readonly string[]).includes(value)) {
    throw new BundleCacheError('ERR_OPTIONS',
        `BUNDLE_CACHE_REVALIDATE=${JSON.stringify(value)} is not a revalidation mode. Fix: set it to one of ${REVALIDATE_MODES.join(', ')}, or unset it.`,
        { option: 'BUNDLE_CACHE_REVALIDATE', received: value });
  }
  return value as RevalidateMode;
}

function optionsError(issue: z.core.$ZodIssue, input: unknown): BundleCacheError {
  const where = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const option = where ? `${where}.${key}` : key;
    const known = KNOWN[where] ?? [];
    const guess = known.find(name => name.toLowerCase() === key.toLowerCase());
    const hint = guess ? `did you mean "${where ? `${where}.` : ''}${guess}"?` : `known options here: ${known.join(', ')}.`;
    return new BundleCacheError('ERR_OPTIONS', `Unknown bundle-cache option "${option}": ${hint}`, { option, input });
  }
  const option = where || 'options';
  return new BundleCacheError('ERR_OPTIONS',
      `Invalid bundle-cache option "${option}": ${issue.message}. Fix this value where the options are given (BundleCache.open() or the bundleCache fixture option).`,
      { option, input });
}
