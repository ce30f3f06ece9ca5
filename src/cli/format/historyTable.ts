import type { ResourceRecord } from '../../disk/indexSchema.js';
import { formatDuration, formatTime } from './duration.js';
import { renderTable } from './table.js';
import { shortenUrl } from './url.js';

/**
 * A resource's versions, newest first: the current one, then each it
 * superseded, with when it was first seen and when it was superseded.
 */
export function historyTable(resource: ResourceRecord, urlWidth: number): string[] {
  const rows = [
    [resource.version ?? '(none)', shortenUrl(resource.url, urlWidth), formatTime(resource.firstSeen), 'current'],
    ...resource.history.map(line => [
      line.version ?? '(none)',
      shortenUrl(line.url, urlWidth),
      formatTime(line.firstSeen),
      `${formatTime(line.supersededAt)} (after ${formatDuration(Date.parse(line.supersededAt) - Date.parse(line.firstSeen))})`,
    ]),
  ];
  return renderTable([{ header: 'VERSION' }, { header: 'URL' }, { header: 'FIRST SEEN (UTC)' }, { header: 'SUPERSEDED (UTC)' }], rows);
}
