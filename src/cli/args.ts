import { parseArgs } from 'node:util';
import { z } from 'zod';
import { usageError } from './cliError.js';
import type { FlagSpec, RawArgs } from './command.js';

/** Flags every command takes. */
export const GLOBAL_FLAGS: Readonly<Record<string, FlagSpec>> = {
  dir: { type: 'string', value: 'path', description: 'cache directory (default: $BUNDLE_CACHE_DIR, else ./cache)' },
  json: { type: 'boolean', description: 'print the result as JSON on stdout; messages and progress go to stderr' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
};

/**
 * Parses `argv` against the global flags and `flags` of one command. Node's
 * own messages name the option but suggest `--` tricks; ours name the
 * command and the nearest known flag instead.
 */
export function parseFlags(argv: readonly string[], flags: Readonly<Record<string, FlagSpec>>, command: string | undefined): RawArgs {
  const all = { ...GLOBAL_FLAGS, ...flags };
  const options = Object.fromEntries(Object.entries(all).map(([name, spec]) => [name, {
    type: spec.type,
    ...(spec.short ? { short: spec.short } : {}),
    ...(spec.multiple ? { multiple: true } : {}),
  }]));
  try {
    const { values, positionals } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    return { values: values as RawArgs['values'], positionals };
  } catch (error) {
    throw usageError(describeParseError(error as Error & { code?: string }, Object.keys(all), all), command);
  }
}

function describeParseError(error: Error & { code?: string }, known: string[], flags: Readonly<Record<string, FlagSpec>>): string {
  const flag = /'(-{1,2}[^'\s]+)/.exec(error.message)?.[1];
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && flag) {
    const guess = closest(flag.replace(/^-+/, '').split('=')[0]!, known);
    return `unknown flag ${flag}${guess ? `; did you mean --${guess}?` : ''}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && flag) {
    const name = flag.replace(/^-+/, '').split(/[\s=]/)[0]!;
    const spec = flags[name] ?? Object.values(flags).find(candidate => candidate.short === name);
    return spec?.type === 'boolean' ? `${flag} takes no value` : `${flag} needs a value${spec?.value ? ` (<${spec.value}>)` : ''}`;
  }
  return error.message.split('. ')[0]!;
}

/**
 * The known name nearest to `name`, if it is a likely typo: one edit away
 * for short names, two for longer ones (a swap of neighbours is one edit).
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const limit = name.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance <= limit && (!best || distance < best.distance))
      best = { name: candidate, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => i === 0 ? j : j === 0 ? i : 0));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        distance = Math.min(distance, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = distance;
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * Validates a command's flags with zod at the boundary; the first issue
 * becomes a usage error naming the flag and the value it got.
 */
export function validate<T>(schema: z.ZodType<T>, input: unknown, command: string): T {
  const parsed = schema.safeParse(input);
  if (parsed.success)
    return parsed.data;
  const issue = parsed.error.issues[0]!;
  const flag = issue.path.length ? `--${String(issue.path[0])}` : 'arguments';
  const received = issue.path.length ? (input as Record<string, unknown>)[String(issue.path[0])] : undefined;
  throw usageError(`${flag} ${issue.message}${received !== undefined ? ` (got ${JSON.stringify(received)})` : ''}`, command);
}

/** A string flag holding a whole number in [min, max]. */
export function integerFlag(min: number, max: number) {
  return z.string()
      .regex(/^\d+$/, { message: `must be a whole number from ${min} to ${max}` })
      .transform(Number)
      .refine(value => value >= min && value <= max, { message: `must be a whole number from ${min} to ${max}` });
}

/** Rejects positionals a command does not take. */
export function expectPositionals(args: RawArgs, max: number, command: string): readonly string[] {
  if (args.positionals.length > max)
    throw usageError(`unexpected argument ${JSON.stringify(args.positionals[max])}`, command);
  return args.positionals;
}
