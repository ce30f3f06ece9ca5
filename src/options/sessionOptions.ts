import { z } from 'zod';
import { BundleCacheError } from '../errors.js';
import type { RewarmOn, SessionOptions } from '../types.js';
import { describeValue } from './describeValue.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT, parseDuration } from './units.js';

/** A session's options after validation, with the defaults applied. */
export interface ResolvedSessionOptions {
  readonly warm: SessionOptions['warm'];
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

const NAME_MAX = 100;
const KEY_MIN = 32;

/**
 * An object schema that names an unknown key first (with the known key it
 * likely misspells), before it checks the known ones: `{ Warm }` is a typo
 * of `warm`, not a session without its warm-up.
 */
function optionsObject<Shape extends z.ZodRawShape>(shape: Shape, what: string, expected: string) {
  const known = Object.keys(shape);
  return z.preprocess((input, ctx) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input))
      return input;
    const unknown = Object.keys(input).find(key => !known.includes(key));
    if (unknown !== undefined) {
      const guess = known.find(name => name.toLowerCase() === unknown.toLowerCase());
      ctx.addIssue({ code: 'custom', path: [unknown], input, message: guess ? `unknown ${what} (did you mean "${guess}"?)` : `unknown ${what}; known: ${known.join(', ')}` });
    }
    return input;
  }, z.object(shape, { error: issue => `expected ${expected}; got ${describeValue(issue.input)}` }));
}

/** Milliseconds or a string like '30m', more than 0 and at most a century. */
function positiveDuration(expected: string) {
  return z.unknown().transform((value, ctx) => {
    const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
    if (ms !== undefined && ms > 0 && ms <= MAX_DURATION_MS)
      return ms;
    // A state kept past the year 275760 has no Date to expire at; nobody logs in for a century anyway.
    const problem = ms !== undefined && ms > MAX_DURATION_MS ? `expected a duration of at most '${MAX_DURATION_TEXT}' (${MAX_DURATION_MS} ms)` : expected;
    ctx.addIssue({ code: 'custom', input: value, message: `${problem}; got ${describeValue(value)}` });
    return z.NEVER;
  });
}

/** A session's name: any non-empty text without control characters (it is sanitized and hashed before it names a file). */
export const sessionNameSchema = z.string({ error: issue => `expected a non-empty string; got ${describeValue(issue.input)}` })
    .min(1, { error: issue => `expected a non-empty string; got ${describeValue(issue.input)}` })
    .max(NAME_MAX, { error: issue => `expected at most ${NAME_MAX} characters; got ${(issue.input as string).length}` })
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    .regex(/^[^\u0000-\u001f\u007f]*$/, { error: issue => `expected no control characters; got ${describeValue(issue.input)}` });

const KEY_EXPECTED = `expected a secret of at least ${KEY_MIN} characters (generate one with \`openssl rand -base64 32\`)`;

/** The secret that encrypts session files. Its value is never shown, only its type or length. */
const sessionKeySchema = z.string({ error: issue => `${KEY_EXPECTED}; got a ${typeof issue.input}` })
    .min(KEY_MIN, { error: issue => `${KEY_EXPECTED}; got ${(issue.input as string).length} characters` });

const rewarmOnSchema = z.union([
  z.custom<(response: unknown) => boolean | Promise<boolean>>(value => typeof value === 'function'),
  z.array(z.int().min(400).max(599)).transform(statuses => [...statuses]),
], { error: issue => `expected an array of HTTP statuses from 400 to 599 (e.g. [403, 452]) or a function (response) => boolean; got ${describeValue(issue.input)}` });

const breakerSchema = optionsObject({
  failures: z.int({ error: issue => `expected a whole number ≥ 1; got ${describeValue(issue.input)}` })
      .min(1, { error: issue => `expected a whole number ≥ 1; got ${describeValue(issue.input)}` }).optional(),
  window: positiveDuration('expected a duration greater than 0 like \'10m\'').optional(),
}, 'breaker option', '{ failures?, window? }');

/** One session's options, `{ warm, ttl?, rewarmOn?, breaker? }`, with the defaults applied. */
export const sessionOptionsSchema = optionsObject({
  warm: z.custom<SessionOptions['warm']>(value => typeof value === 'function',
      { error: issue => `expected a function (context) => Promise<void> that logs in with pages of the context; got ${describeValue(issue.input)}` }),
  ttl: positiveDuration('expected a duration greater than 0: milliseconds or a string like \'30m\', \'1h\', \'7d\'').optional(),
  rewarmOn: rewarmOnSchema.optional(),
  breaker: breakerSchema.optional(),
}, 'session option', '{ warm, ttl?, rewarmOn?, breaker? }').transform((options): ResolvedSessionOptions => ({
  warm: options.warm,
  ttlMs: options.ttl ?? SESSION_DEFAULTS.ttlMs,
  rewarmOn: options.rewarmOn ?? SESSION_DEFAULTS.rewarmOn,
  breaker: { failures: options.breaker?.failures ?? SESSION_DEFAULTS.breakerFailures, windowMs: options.breaker?.window ?? SESSION_DEFAULTS.breakerWindowMs },
}));

/** The `sessions` option, validated: the encryption secret if given there, and the declared sessions by name. */
export interface ParsedSessionsOption {
  readonly key: string | undefined;
  readonly declared: ReadonlyMap<string, ResolvedSessionOptions>;
}

/**
 * `sessions: { key?, [name]: { warm, ttl?, rewarmOn?, breaker? } }`. `key` is
 * the one reserved name; every name is checked before any session's options.
 */
export const sessionsOptionSchema = z.preprocess((input, ctx) => {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return input;
  for (const name of Object.keys(input)) {
    const checked = sessionNameSchema.safeParse(name);
    if (!checked.success)
      ctx.addIssue({ code: 'custom', path: [name], input, message: `a session name must be a non-empty string without control characters (${checked.error.issues[0]!.message})` });
  }
  return input;
}, z.object({ key: sessionKeySchema.optional() }, { error: issue => `expected { key?, <name>: { warm, ttl?, rewarmOn? } }; got ${describeValue(issue.input)}` })
    .catchall(sessionOptionsSchema.optional())
    .transform(({ key, ...named }): ParsedSessionsOption => ({
      key,
      declared: new Map(Object.entries(named).filter((entry): entry is [string, ResolvedSessionOptions] => entry[1] !== undefined)),
    })));

/** `cache.session(name, options)`: validates where they are given, naming the option and the fix. */
export function resolveSessionCall(name: unknown, options: unknown): { name: string; options: ResolvedSessionOptions | undefined } {
  const checkedName = sessionNameSchema.safeParse(name);
  if (!checkedName.success) {
    throw new BundleCacheError('ERR_OPTIONS', `Invalid session name given to cache.session(): ${checkedName.error.issues[0]!.message}. Fix: name the session after its user, e.g. cache.session('alice', { warm }).`,
        { option: 'session.name', received: name });
  }
  if (options === undefined)
    return { name: checkedName.data, options: undefined };
  const checked = sessionOptionsSchema.safeParse(options);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = issue.path.map(String).join('.');
    throw new BundleCacheError('ERR_OPTIONS',
        `Invalid option "${where || 'options'}" of cache.session(${JSON.stringify(name)}): ${issue.message}. Fix this value where the session is declared.`,
        { option: ['session', ...issue.path.map(String)].join('.'), session: name });
  }
  return { name: checkedName.data, options: checked.data };
}

/** The secret that encrypts session files: at least 32 characters. Returns the problem (never the secret itself), or undefined. */
export function checkSessionKey(secret: unknown): string | undefined {
  const checked = sessionKeySchema.safeParse(secret);
  return checked.success ? undefined : checked.error.issues[0]!.message;
}
