import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BundleCache } from '../../../cache/bundleCache.js';
import { integerFlag, validate } from '../../args.js';
import { usageError } from '../../cliError.js';
import type { CommandContext, CommandSpec, TextView } from '../../command.js';
import { formatBytes } from '../../../options/units.js';
import { urlWidth } from '../../format/entriesTable.js';
import { renderTable } from '../../format/table.js';
import { shortenUrl } from '../../format/url.js';
import type { PageOutcome, WarmItem, WarmOutcome } from './warmItem.js';
import { warmPages } from './warmPages.js';
import { warmUrls } from './warmUrls.js';

export interface WarmSummary {
  /** Fetched from the origin and stored. */
  readonly fetched: number;
  readonly fetchedBytes: number;
  /** Already cached and fresh: the origin was not asked, or answered 304. */
  readonly fresh: number;
  readonly freshBytes: number;
  /** Of `fresh`, those the origin confirmed with a 304 just now. */
  readonly revalidated: number;
  /** Fetched but not storable (`no-store`, not 200…), or matching no rule. */
  readonly notCached: number;
  /** URLs (or, with --page, pages) that failed. */
  readonly failed: number;
}

export interface WarmCommandResult {
  readonly command: 'warm';
  readonly dir: string;
  readonly mode: 'fetch' | 'page';
  /** Each URL fetched, or with --page each bundle the pages pulled. */
  readonly items: WarmItem[];
  /** With --page: each page loaded. */
  readonly pages: PageOutcome[];
  readonly summary: WarmSummary;
}

export interface WarmInput {
  readonly urls: readonly string[];
  readonly file: string | undefined;
  readonly concurrency: number;
  readonly page: boolean;
  readonly ignoreHttpsErrors: boolean;
}

const flagsSchema = z.object({
  file: z.string().min(1, { message: 'must name a file (or - for stdin)' }).optional(),
  concurrency: integerFlag(1, 64).default(4),
  page: z.boolean().default(false),
  'ignore-https-errors': z.boolean().default(false),
});

export const warmCommand: CommandSpec<WarmInput, WarmCommandResult> = {
  name: 'warm',
  summary: 'fill the cache before a run: fetch URLs, or load pages in headless Chromium (--page)',
  usage: 'warm <url…> | --file <urls.txt> [--concurrency <n>] [--page] [--ignore-https-errors]',
  flags: {
    file: { type: 'string', value: 'urls.txt', description: 'read URLs from a file, one per line (# comments; - for stdin)' },
    concurrency: { type: 'string', value: 'n', description: 'how many URLs at once, 1-64 (default: 4)' },
    page: { type: 'boolean', description: 'load each URL as a page in headless Chromium and cache every bundle it pulls' },
    'ignore-https-errors': { type: 'boolean', description: 'accept self-signed certificates (staging hosts)' },
  },
  arguments: [{ name: 'url…', description: 'bundle URLs to fetch (with --page: page URLs to load)' }],
  createsCache: true,
  examples: [
    'bundle-cache warm https://app.example.com/main.dart.js https://app.example.com/canvaskit/canvaskit.wasm',
    'bundle-cache warm --page https://app.example.com/',
    'bundle-cache warm --file urls.txt --concurrency 8',
  ],
  parse(args) {
    const flags = validate(flagsSchema, args.values, 'warm');
    return { urls: args.positionals, file: flags.file, concurrency: flags.concurrency, page: flags.page, ignoreHttpsErrors: flags['ignore-https-errors'] };
  },
  async run(context, input) {
    const urls = [...input.urls, ...input.file ? await readUrlFile(context, input.file) : []];
    if (!urls.length)
      throw usageError('give the URLs to warm, or --file <urls.txt>', 'warm');
    const bad = urls.filter(url => !/^https?:\/\/[^/]/i.test(url) || !URL.canParse(url));
    if (bad.length)
      throw usageError(`not an http(s) URL: ${bad.slice(0, 3).map(url => JSON.stringify(url)).join(', ')}`, 'warm');
    const cache = await BundleCache.open({ dir: context.dir });
    try {
      if (input.page) {
        const { pages, items } = await warmPages(cache, urls, input, context.io.stderr);
        return result(context, 'page', items, pages);
      }
      return result(context, 'fetch', await warmUrls(cache, urls, input, context.io.stderr), []);
    } finally {
      await cache.close();
    }
  },
  exitCode: result => result.summary.failed > 0 || (result.mode === 'fetch' && result.summary.notCached > 0) ? 1 : 0,
};

function result(context: CommandContext, mode: 'fetch' | 'page', items: WarmItem[], pages: PageOutcome[]): WarmCommandResult {
  const sum = (outcomes: WarmOutcome[]) => items.filter(item => outcomes.includes(item.outcome));
  const bytes = (list: WarmItem[]) => list.reduce((total, item) => total + item.bytes, 0);
  const fetched = sum(['stored']);
  const fresh = sum(['fresh']);
  return {
    command: 'warm',
    dir: context.dir,
    mode,
    items,
    pages,
    summary: {
      fetched: fetched.length,
      fetchedBytes: bytes(fetched),
      fresh: fresh.length,
      freshBytes: bytes(fresh),
      revalidated: fresh.filter(item => item.revalidated).length,
      notCached: sum(['not-stored', 'not-cacheable']).length,
      failed: mode === 'page' ? pages.filter(page => !page.ok).length : sum(['failed']).length,
    },
  };
}

/** One URL a line; blank lines and `#` comments skipped. `-` reads stdin. */
async function readUrlFile(context: CommandContext, file: string): Promise<string[]> {
  let text: string;
  try {
    text = file === '-' ? await context.io.readStdin() : await readFile(path.resolve(context.io.cwd, file), 'utf8');
  } catch (error) {
    throw usageError(`cannot read --file ${file}: ${(error as Error).message}`, 'warm');
  }
  return text.split(/\r?\n/).map(line => line.replace(/(^|\s)#.*/, '').trim()).filter(Boolean);
}

const OUTCOME_TEXT: Record<WarmOutcome, string> = {
  'stored': 'fetched',
  'fresh': 'already fresh',
  'not-stored': 'not cached',
  'not-cacheable': 'not cached',
  'failed': 'failed',
};

/** The text of `warm`: the pages loaded, one line per bundle, then the counts. */
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
