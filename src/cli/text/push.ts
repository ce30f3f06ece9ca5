import type { TextView } from '../command.js';
import type { PushOutcome, PushResult } from '../commands/push.js';
import { formatBytes } from '../format/bytes.js';
import { remoteLabel } from '../format/remote.js';
import { renderTable } from '../format/table.js';
import { shortenUrl } from '../format/url.js';
import { urlWidth } from './entriesTable.js';

const OUTCOME_TEXT: Record<PushOutcome, string> = {
  pushed: 'pushed',
  present: 'record only',
  skipped: 'skipped',
  failed: 'failed',
};

export function formatPush(result: PushResult, view: TextView): string {
  const width = urlWidth(view);
  const lines = [`remote ${remoteLabel(result.remote)}`, ''];
  if (result.items.length) {
    lines.push(...renderTable([{ header: 'URL' }, { header: 'RESULT' }, { header: 'SIZE', align: 'right' }, { header: 'NOTE' }],
        result.items.map(item => [shortenUrl(item.url, width), OUTCOME_TEXT[item.outcome], formatBytes(item.size), item.reason ?? ''])), '');
  } else {
    lines.push(`nothing to push: the cache at ${result.dir} has no entries`, '');
  }
  for (const problem of result.problems)
    lines.push(`${problem.code}: ${problem.message}`);
  if (result.problems.length)
    lines.push('');
  const { summary } = result;
  lines.push(`pushed ${summary.pushed} (${formatBytes(summary.bytesSent)} sent), record only ${summary.present}, skipped ${summary.skipped}, failed ${summary.failed}`);
  return lines.join('\n') + '\n';
}
