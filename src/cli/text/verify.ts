import type { VerifyResult } from '../commands/verify.js';
import { formatBytes } from '../format/bytes.js';
import { plural } from '../format/table.js';

export function formatVerify(result: VerifyResult): string {
  const lines = [`checked ${plural(result.checked, 'entry', 'entries')} (${formatBytes(result.bytesChecked)}): meta.json, key, size and sha256`];
  for (const item of result.corrupt) {
    const outcome = item.fixed ? ' [removed]' : item.notFixedReason === 'busy' ? ' [not removed: a writer holds its lock]' : item.notFixedReason ? ` [not removed: ${item.notFixedReason}]` : '';
    lines.push(`corrupt: ${item.url ?? item.stem}: ${item.problem}${outcome}`);
  }
  for (const problem of result.index.problems)
    lines.push(`index: ${problem}${result.index.rebuilt ? ' [rebuilt]' : ''}`);
  if (result.index.rebuilt && !result.index.problems.length)
    lines.push('index: cache_versions.json rebuilt without the removed entries');
  if (result.writing.length)
    lines.push(`skipped ${plural(result.writing.length, 'entry', 'entries')} being written right now`);
  const { orphans, temps, staleLocks } = result.leftovers;
  if (orphans + temps + staleLocks)
    lines.push(`note: ${plural(orphans, 'orphan')}, ${plural(temps, 'temp file')}, ${plural(staleLocks, 'stale lock')} left over; \`bundle-cache clean\` removes them`);
  if (!result.problems)
    lines.push('no problems found');
  else if (!result.unfixed)
    lines.push(`fixed ${plural(result.problems, 'problem')}`);
  else
    lines.push(`${plural(result.problems, 'problem')} found${result.fix ? `, ${result.unfixed} not fixed` : '; run `bundle-cache verify --fix` to fix them'}`);
  return lines.join('\n') + '\n';
}
