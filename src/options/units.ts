import type { ByteSize, Duration } from '../types.js';

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

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * `4509715` -> `4.3 MB`. Binary units (1 KB = 1024 bytes), as the library
 * parses `'100MB'`, so a limit and the usage printed next to it agree. One
 * decimal below 100 keeps columns steady; integers above.
 */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0)
    return `${Math.round(value)} B`;
  // Rounding can carry into the next unit (1023.96 KB -> 1024.0 KB); print 1.0 MB instead.
  if (value.toFixed(1) === '1024.0' && unit < BYTE_UNITS.length - 1)
    return `1.0 ${BYTE_UNITS[unit + 1]}`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${BYTE_UNITS[unit]}`;
}
