import type { CleanResult } from '../commands/clean.js';
import { plural } from '../format/table.js';
import { removalLines } from './removals.js';

export function formatClean(result: CleanResult): string {
  const lines = result.removed.length || result.skipped.length || !result.writing.length ? removalLines(result, `nothing to clean in ${result.dir}`) : [];
  if (result.writing.length)
    lines.push(`left alone ${plural(result.writing.length, 'entry', 'entries')} being written right now:`, ...result.writing.map(stem => `  ~ ${stem}`));
  return lines.join('\n') + '\n';
}
