import type { BrowserContext } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { parseDuration } from '../options/units.js';
import type { RewarmOn } from '../types.js';

/** A session's options after validation, with the defaults applied. */
export interface ResolvedSessionOptions {
  readonly warm: (context: BrowserContext) => unknown;
  readonly ttlMs: number;
  readonly rewarmOn: RewarmOn;
  readonly breaker: { readonly failures: number; readonly windowMs: number };
}

export const SESSION_DEFAULTS = {
  ttlMs: parseDuration('1h')!,
  rewarmOn: [403, 452] as readonly number[],
  breakerFailures: 3,
  breakerWindowMs: parseDuration('10m')!,
} as const;

const KNOWN = ['warm', 'ttl', 'rewarmOn', 'breaker'];
const NAME_MAX = 100;

/** What was wrong, and where inside the value checked (`['breaker', 'window']`). */
export interface OptionIssue {
  readonly path: readonly string[];
  readonly message: string;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; issue: OptionIssue };

export function received(value: unknown): string {
  if (typeof value === 'function')
    return 'a function';
  return JSON.stringify(value) ?? String(value);
}

/** A session's name: any non-empty text without control characters (it is sanitized and hashed before it names a file). */
export function checkSessionName(name: unknown): string | undefined {
  if (typeof name !== 'string' || !name.length)
    return `expected a non-empty string; got ${received(name)}`;
  if (name.length > NAME_MAX)
    return `expected at most ${NAME_MAX} characters; got ${name.length}`;
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(name))
    return `expected no control characters; got ${received(name)}`;
  return undefined;
}

/** Validates one session's options (pure: returns the issue rather than throwing). */
export function checkSessionOptions(input: unknown): Checked<ResolvedSessionOptions> {
  const fail = (path: string[], message: string): Checked<ResolvedSessionOptions> => ({ ok: false, issue: { path, message } });
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return fail([], `expected { warm, ttl?, rewarmOn?, breaker? }; got ${received(input)}`);
  const options = input as Record<string, unknown>;
  const unknown = Object.keys(options).find(key => !KNOWN.includes(key));
  if (unknown !== undefined) {
    const guess = KNOWN.find(name => name.toLowerCase() === unknown.toLowerCase());
    return fail([unknown], guess ? `unknown session option; did you mean "${guess}"?` : `unknown session option; known: ${KNOWN.join(', ')}`);
  }
  if (typeof options.warm !== 'function')
    return fail(['warm'], `expected a function (context) => Promise<void> that logs in with pages of the context; got ${received(options.warm)}`);
  const ttlMs = options.ttl === undefined ? SESSION_DEFAULTS.ttlMs : positiveDuration(options.ttl);
  if (ttlMs === undefined)
    return fail(['ttl'], `expected a duration greater than 0: milliseconds or a string like '30m', '1h', '7d'; got ${received(options.ttl)}`);
  const rewarmOn = options.rewarmOn === undefined ? SESSION_DEFAULTS.rewarmOn : checkRewarmOn(options.rewarmOn);
  if (typeof rewarmOn === 'string')
    return fail(['rewarmOn'], rewarmOn);
  const breaker = checkBreaker(options.breaker);
  if ('issue' in breaker)
    return fail(['breaker', ...breaker.issue.path], breaker.issue.message);
  return { ok: true, value: { warm: options.warm as ResolvedSessionOptions['warm'], ttlMs, rewarmOn, breaker } };
}

function positiveDuration(value: unknown): number | undefined {
  const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
  return ms !== undefined && ms > 0 ? ms : undefined;
}

function checkRewarmOn(value: unknown): RewarmOn | string {
  if (typeof value === 'function')
    return value as RewarmOn;
  if (Array.isArray(value) && value.every(status => Number.isInteger(status) && status >= 400 && status <= 599))
    return [...value] as number[];
  return `expected an array of HTTP statuses from 400 to 599 (e.g. [403, 452]) or a function (response) => boolean; got ${received(value)}`;
}

function checkBreaker(value: unknown): ResolvedSessionOptions['breaker'] | { issue: OptionIssue } {
  const defaults = { failures: SESSION_DEFAULTS.breakerFailures, windowMs: SESSION_DEFAULTS.breakerWindowMs };
  if (value === undefined)
    return defaults;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { issue: { path: [], message: `expected { failures?, window? }; got ${received(value)}` } };
  const { failures, window, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined)
    return { issue: { path: [extra], message: 'unknown breaker option; known: failures, window' } };
  if (failures !== undefined && !(Number.isInteger(failures) && (failures as number) >= 1))
    return { issue: { path: ['failures'], message: `expected a whole number ≥ 1; got ${received(failures)}` } };
  const windowMs = window === undefined ? defaults.windowMs : positiveDuration(window);
  if (windowMs === undefined)
    return { issue: { path: ['window'], message: `expected a duration greater than 0 like '10m'; got ${received(window)}` } };
  return { failures: (failures as number | undefined) ?? defaults.failures, windowMs };
}

/** `cache.session(name, options)`: validates where they are given, naming the option and the fix. */
export function resolveSessionCall(name: unknown, options: unknown): { name: string; options: ResolvedSessionOptions | undefined } {
  const nameProblem = checkSessionName(name);
  if (nameProblem) {
    throw new BundleCacheError('ERR_OPTIONS', `Invalid session name given to cache.session(): ${nameProblem}. Fix: name the session after its user, e.g. cache.session('alice', { warm }).`,
        { option: 'session.name', received: name });
  }
  if (options === undefined)
    return { name: name as string, options: undefined };
  const checked = checkSessionOptions(options);
  if (!checked.ok) {
    const option = ['session', ...checked.issue.path].join('.');
    throw new BundleCacheError('ERR_OPTIONS',
        `Invalid option "${checked.issue.path.join('.') || 'options'}" of cache.session(${JSON.stringify(name)}): ${checked.issue.message}. Fix this value where the session is declared.`,
        { option, session: name });
  }
  return { name: name as string, options: checked.value };
}

/** The secret that encrypts session files: at least 32 characters. Returns the problem (never the secret itself), or undefined. */
export function checkSessionKey(secret: unknown): string | undefined {
  const expected = 'expected a secret of at least 32 characters (generate one with `openssl rand -base64 32`)';
  if (typeof secret !== 'string')
    return `${expected}; got a ${typeof secret}`;
  if (secret.length < 32)
    return `${expected}; got ${secret.length} characters`;
  return undefined;
}
