const STEPS: ReadonlyArray<[unit: string, ms: number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
];

/**
 * `7_500_000` -> `2h 5m`: the two largest non-zero units, truncated (an
 * entry 59.9 s old is `59s`, not `1m`). Below a second: `0s`, since ages and
 * expiries are never that precise. Negative values are formatted by magnitude;
 * callers say "ago" or "expired".
 */
export function formatDuration(ms: number): string {
  let rest = Math.floor(Math.abs(ms));
  const parts: string[] = [];
  for (const [unit, size] of STEPS) {
    const amount = Math.floor(rest / size);
    if (amount > 0 || parts.length > 0) {
      if (amount > 0)
        parts.push(`${amount}${unit}`);
      rest -= amount * size;
      if (parts.length === 2 || (parts.length === 1 && amount === 0))
        break;
    }
  }
  return parts.length ? parts.join(' ') : '0s';
}

/** `5m ago`, `never` for null. */
export function formatAgo(ms: number | null): string {
  return ms === null ? 'never' : `${formatDuration(ms)} ago`;
}

/** An ISO time as `2026-11-21 10:52:03` (UTC, seconds), compact and sortable. */
export function formatTime(iso: string | null): string {
  if (!iso)
    return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}
