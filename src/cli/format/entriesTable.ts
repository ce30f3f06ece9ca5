import type { TextView } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { formatAgo, formatDuration } from './duration.js';
import { renderTable } from './table.js';
import { cutMiddle, shortenUrl } from './url.js';
import type { EntryInfo } from '../inspect/inspection.js';
import { NO_VALIDATORS_FIX, type FreshnessInfo } from '../inspect/freshnessInfo.js';

/** What the other columns take at most, so the URL gets the rest of a terminal line. */
const OTHER_COLUMNS_WIDTH = 96;
const DEFAULT_URL_WIDTH = 60;
const VERSION_WIDTH = 12;

export function urlWidth(view: TextView): number {
  return view.columns ? Math.max(24, view.columns - OTHER_COLUMNS_WIDTH) : DEFAULT_URL_WIDTH;
}

/** The table of `status` and `list`: one line per entry, sizes and durations for people. */
export function entriesTable(entries: readonly EntryInfo[], view: TextView): string[] {
  const width = urlWidth(view);
  const rows = entries.map(entry => [
    shortenUrl(entry.url ?? entry.stem, width),
    formatBytes(entry.size),
    entry.ageMs === null ? '—' : formatDuration(entry.ageMs),
    expiresIn(entry),
    entry.version === null ? '—' : cutMiddle(entry.version, VERSION_WIDTH),
    entry.freshness?.kind ?? '—',
    entry.freshness ? validatorsColumn(entry.freshness) : '—',
    entry.freshness?.lastRevalidatedAgoMs != null ? formatAgo(entry.freshness.lastRevalidatedAgoMs) : '—',
    String(entry.hits),
    formatAgo(entry.lastHitAgoMs),
  ]);
  return renderTable([
    { header: 'URL' },
    { header: 'SIZE', align: 'right' },
    { header: 'AGE', align: 'right' },
    { header: 'EXPIRES IN', align: 'right' },
    { header: 'VERSION' },
    { header: 'FRESHNESS' },
    { header: 'VALIDATORS' },
    { header: 'LAST 304' },
    { header: 'HITS', align: 'right' },
    { header: 'LAST HIT' },
  ], rows);
}

/**
 * `ETag`, `ETag+LM`, `LM` or `none`; immutable entries show theirs too (used
 * once they expire). `none!`: an unversioned entry without validators,
 * downloaded whole in every run (see `noValidatorsNote`).
 */
function validatorsColumn(freshness: FreshnessInfo): string {
  const { etag, lastModified } = freshness.validators;
  if (etag !== null && lastModified !== null)
    return 'ETag+LM';
  return etag !== null ? 'ETag' : lastModified !== null ? 'LM' : freshness.withoutValidators ? 'none!' : 'none';
}

/** The line under a table with `none!` entries: what it means and the fix. */
export function noValidatorsNote(entries: readonly EntryInfo[]): string[] {
  const count = entries.filter(entry => entry.freshness?.withoutValidators).length;
  if (!count)
    return [];
  return [`none!: ${count === 1 ? '1 entry has' : `${count} entries have`} no validators and no version: downloaded whole once per run. Fix: ${NO_VALIDATORS_FIX}.`];
}

function expiresIn(entry: EntryInfo): string {
  if (entry.state === 'corrupt')
    return 'corrupt';
  if (entry.state === 'expired' || entry.expiresInMs === null)
    return 'expired';
  return formatDuration(entry.expiresInMs);
}

/** One line per corrupt entry, with the reason; empty when there are none. */
export function corruptLines(entries: readonly EntryInfo[]): string[] {
  return entries.filter(entry => entry.state === 'corrupt').map(entry => `corrupt: ${entry.stem}: ${entry.problem}`);
}
