import type { ModeRow } from './runPage.js';
import { formatMB, formatMs, median, percentile } from './stats.js';

export interface Summary {
  readonly page: string;
  readonly mode: string;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly originBytes: number;
  readonly cpuMs: number;
  readonly peakRssBytes: number;
  /** Mean conditional requests per load at the Flutter site and its CDN (0 for the other pages). */
  readonly conditional: number;
  /** Mean 304s per load there. */
  readonly notModified: number;
}

const mean = (values: readonly number[]) => values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;

export function summarize(rows: readonly ModeRow[]): Summary[] {
  return rows.map(row => ({
    page: row.page,
    mode: row.mode,
    medianMs: median(row.samples.map(sample => sample.ms)),
    p95Ms: percentile(row.samples.map(sample => sample.ms), 95),
    originBytes: median(row.originBytes),
    cpuMs: median(row.samples.map(sample => sample.cpuMs)),
    peakRssBytes: Math.max(...row.samples.map(sample => sample.peakRssBytes)),
    conditional: mean(row.conditional),
    notModified: mean(row.notModified),
  }));
}

export function resultsTable(summaries: readonly Summary[]): string {
  const lines = [
    '| page | mode | median page-ready | p95 | origin bytes / load | Node CPU / load | peak Node RSS |',
    '|---|---|--:|--:|--:|--:|--:|',
  ];
  for (const row of summaries)
    lines.push(`| ${row.page} | ${row.mode} | ${formatMs(row.medianMs)} | ${formatMs(row.p95Ms)} | ${formatMB(row.originBytes)} | ${formatMs(row.cpuMs)} | ${formatMB(row.peakRssBytes)} |`);
  return lines.join('\n');
}

export interface Target {
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
}

export function targetsTable(targets: readonly Target[]): string {
  return ['| target | measured | met |', '|---|---|:-:|', ...targets.map(target => `| ${target.target} | ${target.measured} | ${target.met ? 'yes' : '**no**'} |`)].join('\n');
}

/** The page-ready targets of the issue, from the summaries. */
export function pageTargets(summaries: readonly Summary[], warmMode: string, pages: readonly string[]): Target[] {
  const find = (page: string, mode: string) => summaries.find(row => row.page === page && row.mode.startsWith(mode));
  const targets: Target[] = [];
  for (const page of pages) {
    const warm = find(page, warmMode);
    const floor = find(page, 'fresh-context floor');
    const naive = find(page, 'naive route.fulfill');
    const har = find(page, 'routeFromHAR');
    if (!warm || !floor || !naive || !har)
      continue;
    const speedup = page === 'real page' ? 1.5 : 2;
    targets.push({ target: `${page}: warm plugin ≤ 1.15 × fresh-context floor`, measured: `${(warm.medianMs / floor.medianMs).toFixed(2)} × (${formatMs(warm.medianMs)} vs ${formatMs(floor.medianMs)})`, met: warm.medianMs <= 1.15 * floor.medianMs });
    targets.push({ target: `${page}: ≥ ${speedup} × faster than naive route.fulfill`, measured: `${(naive.medianMs / warm.medianMs).toFixed(2)} ×`, met: naive.medianMs >= speedup * warm.medianMs });
    targets.push({ target: `${page}: ≥ ${speedup} × faster than routeFromHAR`, measured: `${(har.medianMs / warm.medianMs).toFixed(2)} ×`, met: har.medianMs >= speedup * warm.medianMs });
  }
  return targets;
}
