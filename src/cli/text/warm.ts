import type { TextView } from '../command.js';
import type { WarmCommandResult, WarmOutcome } from '../commands/warm.js';
import { formatBytes } from '../format/bytes.js';
import { renderTable } from '../format/table.js';
import { shortenUrl } from '../format/url.js';
import { urlWidth } from './entriesTable.js';

const OUTCOME_TEXT: Record<WarmOutcome, string> = {
  'stored': 'fetched',
  'fresh': 'already fresh',
  'not-stored': 'not cached',
  'not-cacheable': 'not cached',
  'failed': 'failed',
};

export function formatWarm(result: WarmCommandResult, view: TextView): string {
  const width = urlWidth(view);
  const lines: string[] = [];
  for (const page of result.pages)
    lines.push(`page ${shortenUrl(page.url, width)}: ${page.ok ? `loaded${page.status ? ` (${page.status})` : ''}` : `failed: ${page.error}`}`);
  if (result.pages.length)
    lines.push('');
  if (result.items.length) {
    lines.push(...renderTable([{ header: 'URL' }, { header: 'RESULT' }, { header: 'SIZE', align: 'right' }, { header: 'NOTE' }],
        result.items.map(item => [shortenUrl(item.url, width), item.revalidated ? 'fresh (304)' : OUTCOME_TEXT[item.outcome], item.bytes ? formatBytes(item.bytes) : '', item.reason ?? ''])), '');
  } else if (result.mode === 'page') {
    lines.push('the pages pulled no bundle that the cache rules match', '');
  }
  const { summary } = result;
  lines.push(`fetched ${summary.fetched} (${formatBytes(summary.fetchedBytes)}), already fresh ${summary.fresh} (${formatBytes(summary.freshBytes)}${summary.revalidated ? `, ${summary.revalidated} after a 304` : ''}), not cached ${summary.notCached}, failed ${summary.failed}`);
  return lines.join('\n') + '\n';
}
