import type { Outcome } from './outcome.js';

export interface Row {
  readonly outcome: Outcome;
  readonly ms: number;
}

/** `1:23` or `12.3 s`. */
export function formatDuration(ms: number): string {
  if (ms < 60_000)
    return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** The table `npm run stress` prints: promise | scenario | iterations | failures | time, in Markdown. */
export function formatTable(rows: readonly Row[]): string {
  const cells = [
    ['promise', 'scenario', 'iterations', 'failures', 'time'],
    ...rows.map(({ outcome, ms }) => [String(outcome.promise), outcome.scenario, outcome.iterations.toLocaleString('en-US'), String(outcome.failures.length), formatDuration(ms)]),
  ];
  const widths = cells[0]!.map((_, column) => Math.max(...cells.map(row => row[column]!.length)));
  const numeric = [true, false, true, true, true];
  const line = (row: string[]) => `| ${row.map((cell, i) => numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((width, i) => numeric[i] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2)).join('|')}|`;
  return [line(cells[0]!), rule, ...cells.slice(1).map(line)].join('\n');
}

/** The figures and failures under the table, one line each. */
export function formatDetails(rows: readonly Row[]): string {
  const lines: string[] = [];
  for (const { outcome } of rows) {
    for (const [name, value] of Object.entries(outcome.figures))
      lines.push(`- ${outcome.promise} ${name}: ${value}`);
    for (const failure of outcome.failures.slice(0, 20))
      lines.push(`- ${outcome.promise} FAILED ${failure}`);
    if (outcome.failures.length > 20)
      lines.push(`- ${outcome.promise} … and ${outcome.failures.length - 20} more failures`);
  }
  return lines.join('\n');
}
