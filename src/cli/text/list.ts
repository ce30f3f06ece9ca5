import type { TextView } from '../command.js';
import type { ListResult } from '../commands/list.js';
import { plural } from '../format/table.js';
import { corruptLines, entriesTable } from './entriesTable.js';

export function formatList(result: ListResult, view: TextView): string {
  if (!result.entries.length)
    return result.total ? 'no entries match\n' : `the cache at ${result.dir} is empty\n`;
  const lines = entriesTable(result.entries, view);
  if (result.matched > result.entries.length)
    lines.push(`… ${plural(result.matched - result.entries.length, 'more entry', 'more entries')} (--limit ${result.filters.limit})`);
  const corrupt = corruptLines(result.entries);
  if (corrupt.length)
    lines.push('', ...corrupt);
  return lines.join('\n') + '\n';
}
