import type { CleanResult } from '../commands/clean.js';
import { removalLines } from './removals.js';

export function formatClean(result: CleanResult): string {
  return removalLines(result, `nothing to clean in ${result.dir}`).join('\n') + '\n';
}
