import { z } from 'zod';
import { hitRate } from './testReport.js';

/** The counters the reporter sums; anything else in an attachment is ignored. */
const attachmentSchema = z.object({
  requests: z.number().int().min(0),
  memoryHits: z.number().int().min(0),
  diskHits: z.number().int().min(0),
  misses: z.number().int().min(0),
  bypassed: z.number().int().min(0),
  errors: z.number().int().min(0),
  bytesFromCache: z.number().min(0),
  bytesFromNetwork: z.number().min(0),
  // Attachments written before sessions existed have none.
  sessions: z.object({ reused: z.number().int().min(0), warmed: z.number().int().min(0), rejected: z.number().int().min(0) })
      .default({ reused: 0, warmed: 0, rejected: 0 }),
  // Attachments written before this was reported have none.
  noValidators: z.array(z.object({ url: z.string(), size: z.number().int().min(0) })).default([]),
});

export type TestCounts = z.infer<typeof attachmentSchema>;
type Counter = Exclude<keyof TestCounts, 'sessions' | 'noValidators'>;

/** The whole run, summed over every test of every worker. */
export interface RunSummary extends TestCounts {
  hitRate: number;
  /** Test results (retries included) that sent something through the cache. */
  tests: number;
  workers: number;
}

/** Parses one attachment body; undefined when it is not ours or is damaged, so a report never breaks the run. */
export function parseAttachment(body: Buffer | string): TestCounts | undefined {
  try {
    const parsed = attachmentSchema.safeParse(JSON.parse(body.toString()));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function summarize(results: ReadonlyArray<{ counts: TestCounts; workerIndex: number }>): RunSummary {
  const sum: TestCounts = { requests: 0, memoryHits: 0, diskHits: 0, misses: 0, bypassed: 0, errors: 0, bytesFromCache: 0, bytesFromNetwork: 0, sessions: { reused: 0, warmed: 0, rejected: 0 }, noValidators: [] };
  const noValidators = new Map<string, number>();
  for (const { counts } of results) {
    for (const name of Object.keys(sum).filter(key => key !== 'sessions' && key !== 'noValidators') as Counter[])
      sum[name] += counts[name];
    // Each worker says it once: one line per bundle for the whole run.
    for (const bundle of counts.noValidators)
      noValidators.set(bundle.url, bundle.size);
    sum.sessions.reused += counts.sessions.reused;
    sum.sessions.warmed += counts.sessions.warmed;
    sum.sessions.rejected += counts.sessions.rejected;
  }
  sum.noValidators = [...noValidators].map(([url, size]) => ({ url, size }));
  return { ...sum, hitRate: hitRate(sum), tests: results.length, workers: new Set(results.map(result => result.workerIndex)).size };
}

/**
 * The reporter's line, e.g.
 * `bundle-cache: 96 requests, 36 bundles, hit rate 91.7% (24 memory, 9 disk, 3 misses), 104.2 MB from cache, 13.1 MB from origin; 12 tests in 4 worker processes`,
 * with `; sessions: 2 warmed, 10 reused, 0 rejected` before the tests when a test used one.
 */
export function formatSummary(summary: RunSummary): string {
  if (!summary.tests)
    return 'bundle-cache: no request went through the cache (do the tests import { test } from \'playwright-bundle-cache/test\'?)';
  const bundles = summary.memoryHits + summary.diskHits + summary.misses;
  const errors = summary.errors ? `, ${count(summary.errors, 'error')}` : '';
  return `bundle-cache: ${count(summary.requests, 'request')}, ${count(bundles, 'bundle')}, hit rate ${percent(summary.hitRate)} ` +
    `(${summary.memoryHits} memory, ${summary.diskHits} disk, ${count(summary.misses, 'miss', 'misses')}${errors}), ` +
    `${formatBytes(summary.bytesFromCache)} from cache, ${formatBytes(summary.bytesFromNetwork)} from origin; ${sessionsPart(summary.sessions)}` +
    `${count(summary.tests, 'test')} in ${count(summary.workers, 'worker process', 'worker processes')}` +
    noValidatorsLine(summary.noValidators);
}

/**
 * A second line naming the bundles downloaded whole in every run because
 * their origin sends no validators, with the fix.
 */
function noValidatorsLine(bundles: TestCounts['noValidators']): string {
  if (!bundles.length)
    return '';
  const listed = bundles.map(bundle => `${bundle.url} (${formatBytes(bundle.size)})`).join(', ');
  return `\nbundle-cache: ${bundles.length === 1 ? '1 bundle has' : `${bundles.length} bundles have`} no validators and ${bundles.length === 1 ? 'is' : 'are'} downloaded whole once per run: ${listed}. ` +
    'Fix: serve them with an ETag or Last-Modified, version their URLs, or set revalidate: \'never\' for their rule.';
}

function sessionsPart({ reused, warmed, rejected }: TestCounts['sessions']): string {
  return reused + warmed + rejected ? `sessions: ${warmed} warmed, ${reused} reused, ${rejected} rejected; ` : '';
}

/** Bytes in the units the options use (1 KB = 1024 bytes), one decimal above bytes. */
export function formatBytes(bytes: number): string {
  const units = ['KB', 'MB', 'GB', 'TB'];
  if (bytes < 1024)
    return `${bytes} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of units) {
    if (value < 1024)
      break;
    value /= 1024;
    unit = next;
  }
  return `${value.toFixed(1)} ${unit}`;
}

function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
