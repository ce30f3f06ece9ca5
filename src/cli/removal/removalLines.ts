import { formatBytes } from '../../options/units.js';
import { plural } from '../format/table.js';
import type { RemovalKind, RemovalReport } from './runRemovals.js';

const NAMES: Record<RemovalKind, [singular: string, plural: string]> = {
  'entry': ['entry', 'entries'],
  'expired': ['expired entry', 'expired entries'],
  'corrupt': ['corrupt entry', 'corrupt entries'],
  'orphan-body': ['body without meta.json', 'bodies without meta.json'],
  'orphan-meta': ['meta.json without body', 'meta.json files without body'],
  'temp': ['temp file', 'temp files'],
  'stale-lock': ['stale lock', 'stale locks'],
};

/** `removed 2 expired entries (4.3 MB), 1 temp file (12 B)`, then one line per file and per skip. */
export function removalLines(report: RemovalReport, nothing: string): string[] {
  if (!report.removed.length && !report.skipped.length)
    return [nothing];
  const lines: string[] = [];
  if (report.removed.length) {
    const counts = new Map<RemovalKind, { count: number; bytes: number }>();
    for (const item of report.removed) {
      const count = counts.get(item.kind) ?? { count: 0, bytes: 0 };
      count.count++;
      count.bytes += item.bytes;
      counts.set(item.kind, count);
    }
    const parts = [...counts].map(([kind, { count, bytes }]) => `${plural(count, ...NAMES[kind])}${bytes ? ` (${formatBytes(bytes)})` : ''}`);
    lines.push(`removed ${parts.join(', ')}; freed ${formatBytes(report.freedBytes)}`);
    lines.push(...report.removed.map(item => `  - ${item.url ?? item.path}`));
  }
  if (report.skipped.length) {
    lines.push(`left ${report.skipped.length} in place:`);
    lines.push(...report.skipped.map(item => `  ! ${item.url ?? item.path}: ${skipReason(item.reason)}`));
  }
  return lines;
}

function skipReason(reason: string): string {
  if (reason === 'busy')
    return 'a running writer holds its lock; run again when it is done';
  if (reason === 'changed')
    return 'changed since it was inspected (a writer completed it)';
  return reason;
}
