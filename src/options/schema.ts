import { z } from 'zod';
import { describeValue } from './describeValue.js';
import { sessionsOptionSchema } from './sessionOptions.js';
import { MAX_DURATION_MS, MAX_DURATION_TEXT, parseByteSize, parseDuration } from './units.js';
import { compileMatcher, matcherName, type ResolvedRule } from '../rules/rules.js';
import { ruleHosts } from '../rules/ruleHosts.js';
import { REVALIDATE_MODES, type RevalidateMode } from '../freshness/decide.js';
import { remoteOptionSchema } from './remoteOption.js';
import type { RuleMatcher } from '../types.js';

const duration = z.unknown().transform((value, ctx) => {
  const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined || ms > MAX_DURATION_MS) {
    const problem = ms === undefined ? "expected a duration: milliseconds (a number ≥ 0) or a string like '30s', '5m', '24h', '7d'"
      // An expiry past the year 275760 is no Date at all; nothing is cached for a century anyway.
      : `expected a duration of at most '${MAX_DURATION_TEXT}' (${MAX_DURATION_MS} ms)`;
    ctx.addIssue({ code: 'custom', message: `${problem}; got ${describeValue(value)}` });
    return z.NEVER;
  }
  return ms;
});

const byteSize = z.unknown().transform((value, ctx) => {
  const bytes = typeof value === 'number' || typeof value === 'string' ? parseByteSize(value) : undefined;
  if (bytes === undefined || bytes > Number.MAX_SAFE_INTEGER) {
    const problem = bytes === undefined ? "expected a byte size: bytes (an integer ≥ 0) or a string like '512KB', '100MB', '1GB'"
      : `expected a byte size of at most ${Number.MAX_SAFE_INTEGER} bytes`;
    ctx.addIssue({ code: 'custom', message: `${problem}; got ${describeValue(value)}` });
    return z.NEVER;
  }
  return bytes;
});

const isMatcher = (value: unknown): value is RuleMatcher =>
  (typeof value === 'string' && value.length > 0) || value instanceof RegExp || typeof value === 'function';

const matcher = z.custom<RuleMatcher>(
    value => isMatcher(value),
    { error: issue => `expected a glob string, a RegExp or a function (url: URL) => boolean; got ${describeValue(issue.input)}` });

const revalidate = z.enum(REVALIDATE_MODES as [RevalidateMode, ...RevalidateMode[]], { error: issue => `expected one of ${REVALIDATE_MODES.map(mode => `'${mode}'`).join(', ')}; got ${describeValue(issue.input)}` });

const staleIfError = z.unknown().transform((value, ctx): number | false => {
  if (value === true)
    return Number.POSITIVE_INFINITY;
  if (value === false)
    return false;
  const ms = typeof value === 'number' || typeof value === 'string' ? parseDuration(value) : undefined;
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `expected true, false, or a duration (how long past its freshness a stored copy may stand in for a failed origin) like '10m'; got ${describeValue(value)}` });
    return z.NEVER;
  }
  return ms;
});

const ruleObject = z.strictObject({
  match: matcher,
  maxAge: duration.optional(),
  name: z.string({ error: 'expected a string' }).min(1, { error: 'must not be empty' }).optional(),
  revalidate: revalidate.optional(),
});

/**
 * A rule is either a bare matcher or `{ match, maxAge?, name? }`; compiled
 * here so a bad glob fails at open(). (Not a z.union: its error would hide
 * which field of the object was wrong.)
 */
const rule = z.unknown().transform((input, ctx): Omit<ResolvedRule, 'maxAgeMs' | 'revalidate'> & { maxAgeMs?: number; revalidate?: RevalidateMode } => {
  let spec: { match: RuleMatcher; maxAge?: number; name?: string; revalidate?: RevalidateMode };
  if (isMatcher(input)) {
    spec = { match: input };
  } else if (typeof input === 'object' && input !== null) {
    const parsed = ruleObject.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ ...issue, code: 'custom', path: issue.path, message: issue.message } as never);
      return z.NEVER;
    }
    spec = parsed.data;
  } else {
    ctx.addIssue({ code: 'custom', message: `expected a glob, a RegExp, a function, or { match, maxAge?, name?, revalidate? }; got ${describeValue(input)}` });
    return z.NEVER;
  }
  try {
    return { name: spec.name ?? matcherName(spec.match), test: compileMatcher(spec.match), hosts: ruleHosts(spec.match), maxAgeMs: spec.maxAge, revalidate: spec.revalidate };
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid glob: ${(error as Error).message}` });
    return z.NEVER;
  }
});

export const optionsSchema = z.strictObject({
  dir: z.string({ error: issue => `expected a directory path (string); got ${describeValue(issue.input)}` }).min(1, { error: 'must not be empty' }).optional(),
  rules: z.array(rule, { error: issue => `expected an array of rules; got ${describeValue(issue.input)}` }).optional(),
  maxAge: duration.optional(),
  memory: z.strictObject({ maxBytes: byteSize.optional(), ttl: duration.optional() }, { error: issue => `expected { maxBytes?, ttl? }; got ${describeValue(issue.input)}` }).optional(),
  disk: z.strictObject({ maxBytes: byteSize.optional() }, { error: issue => `expected { maxBytes? }; got ${describeValue(issue.input)}` }).optional(),
  versioning: z.boolean({ error: issue => `expected true or false; got ${describeValue(issue.input)}` }).optional(),
  revalidate: revalidate.optional(),
  staleIfError: staleIfError.optional(),
  remote: remoteOptionSchema.optional(),
  mode: z.enum(['default', 'refresh', 'offline', 'off'], { error: issue => `expected one of 'default', 'refresh', 'offline', 'off'; got ${describeValue(issue.input)}` }).optional(),
  serve: z.enum(['auto', 'loopback', 'fulfill'], { error: issue => `expected one of 'auto', 'loopback', 'fulfill'; got ${describeValue(issue.input)}` }).optional(),
  now: z.custom<() => number>(value => typeof value === 'function', { error: issue => `expected a function returning epoch milliseconds; got ${describeValue(issue.input)}` }).optional(),
  sessions: sessionsOptionSchema.optional(),
}, { error: issue => `expected an options object; got ${describeValue(issue.input)}` });

export type ParsedOptions = z.output<typeof optionsSchema>;
