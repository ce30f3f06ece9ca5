/** Durations are milliseconds, or strings like '500ms', '30s', '5m', '24h', '7d', '1h30m'. */
export type Duration = number | string;
/** Byte sizes are bytes, or strings like '512KB', '100MB', '1GB' (1 KB = 1024 bytes). */
export type ByteSize = number | string;

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
/** The longest duration an option takes: a century, far inside what a `Date` can hold after now. */
export const MAX_DURATION_TEXT = '36500d';
export const MAX_DURATION_MS = 36_500 * 86_400_000;

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };

/** Parses a duration; returns undefined when the value is not a valid one. */
export function parseDuration(value: Duration): number | undefined {
  if (typeof value === 'number')
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  const text = value.trim().toLowerCase();
  if (!/^(\d+(\.\d+)?\s*(ms|s|m|h|d|w)\s*)+$/.test(text))
    return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)/g))
    total += Number(amount) * DURATION_UNITS[unit!]!;
  return Math.round(total);
}

/** Parses a byte size; returns undefined when the value is not a valid one. */
export function parseByteSize(value: ByteSize): number | undefined {
  if (typeof value === 'number')
    return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb)?$/i.exec(value.trim());
  if (!match)
    return undefined;
  return Math.round(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]!);
}
