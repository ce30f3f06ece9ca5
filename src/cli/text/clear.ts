import type { ClearResult } from '../commands/clear.js';
import { removalLines } from './removals.js';

export function formatClear(result: ClearResult): string {
  if (result.aborted)
    return 'nothing removed\n';
  const scope = result.host ? ` for ${result.host}` : '';
  return removalLines(result, `no entries${scope} in ${result.dir}`).join('\n') + '\n';
}
