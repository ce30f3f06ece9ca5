import type { FleetResult } from './fleet.js';
import { formatBytes } from '../format.js';
import { formatMB, formatMs, median, percentile } from './stats.js';

/** The fleet scenario as Markdown: the cold fleet per backend, then page-ready by where the bundles came from. */
export function fleetMarkdown(result: FleetResult, bundleBytes: number): string {
  const lines = [
    `Cold fleet: ${result.machines} machines (processes, each with its own empty cache dir, BundleCache and Chromium) load the real page at the same moment, on an empty remote. Bundles of the page: ${formatMB(bundleBytes)}.`,
    '',
    '| remote | origin bytes, whole fleet | origin bytes / machine | bundles from the origin | bundles from the remote | uploads | page-ready, median | page-ready, slowest |',
    '|---|--:|--:|--:|--:|--:|--:|--:|',
  ];
  for (const cold of result.cold) {
    const ready = cold.machines.map(machine => machine.readyMs);
    const sum = (pick: (machine: (typeof cold.machines)[number]) => number) => cold.machines.reduce((total, machine) => total + pick(machine), 0);
    lines.push(`| ${cold.backend} | ${formatBytes(cold.originBytes)} | ${formatBytes(Math.round(cold.originBytes / cold.machines.length))} | ${sum(machine => machine.misses)} | ${sum(machine => machine.remoteHits)} | ${cold.uploads} | ${formatMs(median(ready))} | ${formatMs(Math.max(...ready))} |`);
  }
  lines.push('', 'Per machine (bundle bytes from the origin, page-ready):', '');
  for (const cold of result.cold)
    lines.push(`- ${cold.backend}: ${cold.machines.map(machine => `${formatBytes(machine.bundleBytesFromOrigin)} in ${formatMs(machine.readyMs)}`).join('; ')}`);
  const rounds = result.sources[0]?.readyMs.length ?? 0;
  lines.push(
    '',
    `Then, where a new machine's bundles come from (${rounds} rounds, round-robin, a new process per load, fresh context):`,
    '',
    '| bundles from | median page-ready | p95 | origin bytes / load |',
    '|---|--:|--:|--:|',
    ...result.sources.map(row => `| ${row.source} | ${formatMs(median(row.readyMs))} | ${formatMs(percentile(row.readyMs, 95))} | ${formatBytes(median(row.originBytes))} |`),
  );
  return lines.join('\n');
}
