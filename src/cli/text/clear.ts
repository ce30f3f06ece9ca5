import type { ClearResult } from '../commands/clear.js';
import { removalLines } from './removals.js';

export function formatClear(result: ClearResult): string {
  if (result.aborted)
    return 'nothing removed\n';
  const nothing = result.host ? `no entries for ${result.host} in ${result.dir}` : `the cache at ${result.dir} is empty: nothing to clear`;
  return removalLines(result, nothing).join('\n') + '\n';
}
