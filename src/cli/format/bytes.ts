const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/**
 * `4509715` -> `4.3 MB`. Binary units (1 KB = 1024 bytes), as the library
 * parses `'100MB'`, so a limit and the usage printed next to it agree. One
 * decimal below 100 keeps columns steady; integers above.
 */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0)
    return `${Math.round(value)} B`;
  // Rounding can carry into the next unit (1023.96 KB -> 1024.0 KB); print 1.0 MB instead.
  if (value.toFixed(1) === '1024.0' && unit < UNITS.length - 1)
    return `1.0 ${UNITS[unit + 1]}`;
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}
