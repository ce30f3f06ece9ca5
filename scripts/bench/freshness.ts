// The must-revalidate scenario: the real page in `flutter build web`'s
// layout as Netlify serves it (main.dart.js unversioned, `public, max-age=0,
// must-revalidate` + ETag; CanvasKit from a CDN under its engine revision),
// so every load of a warm cache costs one conditional request and a 304.
import type { BenchPage } from './modes.js';
import { type Summary, type Target } from './report.js';
import { formatBytes } from '../format.js';
import { formatMs } from './stats.js';

export const MUST_REVALIDATE_PAGE: BenchPage = { label: 'real page, must-revalidate (Netlify)', path: '/', site: 'flutter' };

const WARM = "bundle cache: memory hit (serve 'loopback')";
const FLOOR = 'fresh-context floor (loopback origin)';

const NEVER = "bundle cache: memory hit, revalidate 'never' (serve 'loopback')";
const LATE = "bundle cache: memory hit, checked at the bundle's request (serve 'loopback')";
const ZERO_LATENCY = "bundle cache: memory hit, zero-latency origin (serve 'loopback')";

/** Modes that mean something on this page only (without a check, the other pages' entries are versioned anyway). */
export const MUST_REVALIDATE_ONLY: readonly string[] = [NEVER, LATE, ZERO_LATENCY];

/** The modes worth comparing here: naive fulfill and HAR cannot revalidate, so they would serve a stale build. */
export const MUST_REVALIDATE_MODES: readonly string[] = [
  'no cache',
  FLOOR,
  'HTTP cache: warm persistent profile',
  WARM,
  NEVER,
  LATE,
  ZERO_LATENCY,
  "bundle cache: disk hit, new instance (serve 'loopback')",
];

/** Per mode: page-ready, its ratio to the floor, and what each load asked of the origins. */
export function mustRevalidateTable(summaries: readonly Summary[]): string {
  const rows = summaries.filter(row => row.page === MUST_REVALIDATE_PAGE.label);
  const floor = rows.find(row => row.mode === FLOOR);
  const lines = [
    '| mode | median page-ready | p95 | × floor | conditional requests / load | 304s / load | origin bytes / load |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const row of rows) {
    const ratio = floor ? `${(row.medianMs / floor.medianMs).toFixed(2)} ×` : '-';
    lines.push(`| ${row.mode} | ${formatMs(row.medianMs)} | ${formatMs(row.p95Ms)} | ${ratio} | ${row.conditional.toFixed(1)} | ${row.notModified.toFixed(1)} | ${formatBytes(Math.round(row.originBytes))} |`);
  }
  const checked = rows.find(row => row.mode === WARM);
  const unchecked = rows.find(row => row.mode === NEVER);
  const late = rows.find(row => row.mode === LATE);
  if (checked && unchecked)
    lines.push('', `The check (one conditional request answered 304, under the key's lock, and the meta.json it refreshes), started at the document's request: ${cost(checked.medianMs - unchecked.medianMs)} of median page-ready per load, memory hit with it against without it.`);
  if (checked && late)
    lines.push('', `Starting it at the document's request rather than at the bundle's: ${saving(late.medianMs - checked.medianMs)} of median page-ready per load.`);
  const near = rows.find(row => row.mode === ZERO_LATENCY);
  if (checked && near && floor)
    lines.push('', `From the floor's zero-latency origin, the same memory hit (its check included) is ${(near.medianMs / floor.medianMs).toFixed(2)} × the floor: what the cache itself costs. The throttled origin's latency for the document and flutter_bootstrap.js, which no cached mode skips, adds ${formatMs(checked.medianMs - near.medianMs)}.`);
  return lines.join('\n');
}

/** A difference of medians, said as what it is: one below zero is this run's noise, not a gain. */
function cost(ms: number): string {
  return ms >= 0 ? `costs ${formatMs(ms)}` : `no measurable cost this run (${formatMs(ms)}, within the run-to-run noise)`;
}

function saving(ms: number): string {
  return ms > 0 ? `saves ${formatMs(ms)}` : `no measurable saving this run (${formatMs(ms)}, within the run-to-run noise)`;
}

export function mustRevalidateTarget(summaries: readonly Summary[]): Target[] {
  const find = (mode: string) => summaries.find(row => row.page === MUST_REVALIDATE_PAGE.label && row.mode === mode);
  const warm = find(WARM);
  const floor = find(FLOOR);
  if (!warm || !floor)
    return [];
  return [{
    target: `${MUST_REVALIDATE_PAGE.label}: warm plugin ≤ 1.15 × fresh-context floor, its 304 round trip included`,
    measured: `${(warm.medianMs / floor.medianMs).toFixed(2)} × (${formatMs(warm.medianMs)} vs ${formatMs(floor.medianMs)}; ${warm.conditional.toFixed(1)} conditional requests, ${formatBytes(Math.round(warm.originBytes))} from the origin per load)`,
    met: warm.medianMs <= 1.15 * floor.medianMs,
  }];
}
