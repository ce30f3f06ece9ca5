import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { EntryRecord, ResourceRecord } from '../../disk/indexSchema.js';
import { DEFAULT_LOCK_OPTIONS } from '../../disk/locks.js';
import type { EntryMeta } from '../../core/meta.js';
import { BODY_SUFFIX, LOCK_SUFFIX, META_SUFFIX } from '../../keys/entryPaths.js';
import { expectPositionals } from '../args.js';
import { CliError, usageError } from '../cliError.js';
import type { CommandContext, CommandSpec, TextView } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { formatAgo, formatDuration, formatTime } from '../format/duration.js';
import { urlWidth } from '../format/entriesTable.js';
import { historyTable } from '../format/historyTable.js';
import { renderFields, renderTable } from '../format/table.js';
import { checkStem } from '../inspect/checkStem.js';
import { NO_VALIDATORS_FIX, freshnessInfo, validatorNames, type FreshnessInfo } from '../inspect/freshnessInfo.js';
import { inspectCache } from '../inspect/inspectCache.js';
import { locate, type Located } from '../inspect/locate.js';
import { readIndex } from '../inspect/readIndex.js';

export type ShowState = 'fresh' | 'expired' | 'corrupt' | 'orphan-body' | 'orphan-meta';

export interface ShowResult {
  readonly command: 'show';
  readonly dir: string;
  readonly target: string;
  readonly stem: string;
  readonly state: ShowState;
  /** Why it is corrupt; null otherwise. */
  readonly problem: string | null;
  readonly files: {
    readonly body: { readonly path: string; readonly bytes: number | null };
    readonly meta: { readonly path: string; readonly bytes: number | null };
    readonly lock: { readonly path: string; readonly state: 'none' | 'held' | 'stale' };
  };
  /** meta.json as stored (with the stored response headers), when it is valid. */
  readonly meta: EntryMeta | null;
  /** The body re-hashed now, and whether it matches meta.json. */
  readonly sha256: { readonly expected: string | null; readonly actual: string | null; readonly matches: boolean };
  readonly ageMs: number | null;
  readonly expiresInMs: number | null;
  /** Immutable or revalidated, validators, last confirmed by the origin; null without a readable meta.json. */
  readonly freshness: FreshnessInfo | null;
  /** The entry's record in cache_versions.json: hits and last hit. */
  readonly index: EntryRecord | null;
  /** The version history of the entry's resource. */
  readonly resource: (ResourceRecord & { readonly id: string }) | null;
}

export const showCommand: CommandSpec<{ target: string }, ShowResult> = {
  name: 'show',
  summary: 'everything about one entry: meta, stored headers, sha256, files, version history',
  usage: 'show <url | key | file>',
  flags: {},
  arguments: [{ name: 'url | key | file', description: 'the URL, the cache key (`GET <url>`), a file of the entry, or a unique part of its URL' }],
  examples: ['bundle-cache show https://app.example.com/main.dart.js?v=42', 'bundle-cache show canvaskit.wasm'],
  parse(args) {
    const [target] = expectPositionals(args, 1, 'show');
    if (!target)
      throw usageError('which entry? Give its URL, its key or one of its files', 'show');
    return { target };
  },
  async run(context, { target }) {
    const located = await find(context, target);
    const now = context.io.now();
    const check = await checkStem(context.dir, located.stem, located.base, true);
    const lock = await fsp.lstat(located.base + LOCK_SUFFIX).catch(() => undefined);
    const { data } = await readIndex(context.dir, now);
    const meta = check.meta;
    const state: ShowState = !check.hasMeta ? 'orphan-body'
      : check.problem ? 'corrupt'
      : check.bodySize === null ? 'orphan-meta'
      : Date.parse(meta!.expiresAt) <= now ? 'expired' : 'fresh';
    const resource = meta ? data.resources[meta.resource] : undefined;
    return {
      command: 'show',
      dir: context.dir,
      target,
      stem: located.stem,
      state,
      problem: check.problem,
      files: {
        body: { path: located.base + BODY_SUFFIX, bytes: check.bodySize },
        meta: { path: located.base + META_SUFFIX, bytes: await fsp.lstat(located.base + META_SUFFIX).then(stat => stat.size, () => null) },
        lock: { path: located.base + LOCK_SUFFIX, state: !lock ? 'none' : now - lock.mtimeMs > DEFAULT_LOCK_OPTIONS.staleMs ? 'stale' : 'held' },
      },
      meta,
      sha256: { expected: meta?.sha256 ?? null, actual: check.sha256, matches: meta !== null && check.sha256 === meta.sha256 },
      ageMs: meta ? now - Date.parse(meta.storedAt) : null,
      expiresInMs: meta ? Date.parse(meta.expiresAt) - now : null,
      freshness: meta ? freshnessInfo(meta, now) : null,
      index: meta ? data.entries[meta.key] ?? null : null,
      resource: resource && meta ? { id: meta.resource, ...resource } : null,
    };
  },
};

/** The exact entry named, else the one entry whose URL contains the target. */
async function find(context: CommandContext, target: string): Promise<Located> {
  const located = locate(context.dir, target, context.io.cwd);
  if (located && await hasFiles(located.base))
    return located;
  if (located?.as === 'url' || located?.as === 'key')
    throw new CliError('ERR_NOT_FOUND', `no entry for ${target} in ${context.dir}`);
  const needle = target.toLowerCase();
  const { entries, leftovers } = await inspectCache({ dir: context.dir, now: context.io.now() });
  const matches = entries.filter(entry => entry.url?.toLowerCase().includes(needle));
  if (matches.length === 1)
    return { stem: matches[0]!.stem, base: path.join(context.dir, matches[0]!.stem), as: 'url' };
  if (matches.length > 1) {
    const shown = matches.slice(0, 5).map(entry => `  ${entry.url}`).join('\n');
    throw usageError(`${JSON.stringify(target)} matches ${matches.length} entries; give the full URL:\n${shown}`, 'show');
  }
  const orphan = leftovers.find(item => item.path.includes(target));
  if (orphan && orphan.kind.startsWith('orphan'))
    return { stem: orphan.path.replace(/\.(body|meta\.json)$/, ''), base: orphan.lockBase, as: 'file' };
  const where = entries.length || leftovers.length ? ` in ${context.dir}` : `: the cache at ${context.dir} is empty`;
  throw new CliError('ERR_NOT_FOUND', `no entry matches ${JSON.stringify(target)}${where}`);
}

async function hasFiles(base: string): Promise<boolean> {
  const present = await Promise.all([BODY_SUFFIX, META_SUFFIX].map(suffix => fsp.lstat(base + suffix).then(() => true, () => false)));
  return present.some(Boolean);
}

/** The text of `show`: the entry's fields, its stored headers and its resource's versions. */
export function formatShow(result: ShowResult, view: TextView): string {
  const { meta } = result;
  const fields: Array<[string, string]> = [
    ['entry', result.stem],
    ['state', stateText(result)],
  ];
  if (meta) {
    fields.push(
        ['url', meta.url],
        ['key', meta.key],
        ['resource', meta.resource],
        ['version', meta.version ?? '(none)'],
        ['rule', meta.rule],
        ['status', String(meta.status)],
        ['size', `${formatBytes(meta.size)} (${meta.size} bytes)`],
        ['sha256', `${meta.sha256} (${shaText(result)})`],
        ['stored', `${formatTime(meta.storedAt)} UTC (${formatAgo(result.ageMs)})`],
        ['expires', `${formatTime(meta.expiresAt)} UTC (${expiryText(result.expiresInMs ?? 0)})`],
    );
    if (result.freshness)
      fields.push(['freshness', freshnessText(result.freshness)]);
    if (meta.vary)
      fields.push(['vary', Object.entries(meta.vary).map(([name, value]) => `${name}: ${value}`).join(', ')]);
  }
  if (result.index)
    fields.push(['hits', `${result.index.hits}, last ${result.index.lastHitAt ? `${formatTime(result.index.lastHitAt)} UTC` : 'never'}`]);
  fields.push(
      ['body', `${result.files.body.path}${result.files.body.bytes === null ? ' (missing)' : ` (${result.files.body.bytes} bytes)`}`],
      ['meta', `${result.files.meta.path}${result.files.meta.bytes === null ? ' (missing)' : ''}`],
      ['lock', result.files.lock.state === 'none' ? 'not held' : `${result.files.lock.path} (${result.files.lock.state})`],
  );
  const lines = renderFields(fields);
  if (meta && Object.keys(meta.headers).length) {
    lines.push('', 'stored headers:');
    lines.push(...renderTable([{ header: 'NAME' }, { header: 'VALUE' }], Object.entries(meta.headers)).slice(1).map(line => `  ${line}`));
  }
  if (result.resource) {
    lines.push('', `versions of ${result.resource.id}${result.resource.multiVersion ? ' (several versions in use, all kept)' : ''}:`);
    lines.push(...historyTable(result.resource, urlWidth(view)).map(line => `  ${line}`));
  }
  return lines.join('\n') + '\n';
}

function freshnessText(info: FreshnessInfo): string {
  const validators = `validators: ${validatorNames(info)}`;
  const checked = info.lastRevalidatedAt ? `, last 304 ${formatTime(info.lastRevalidatedAt)} UTC (${formatAgo(info.lastRevalidatedAgoMs)}), ${info.revalidations} in all` : ', never revalidated';
  const legacy = info.legacy ? ' (written by an earlier release: judged from its URL and stored headers)' : '';
  if (info.kind === 'immutable')
    return `immutable: used until it expires without asking the origin; ${validators}${legacy}`;
  if (info.withoutValidators)
    return `no validators: no ETag, no Last-Modified and no version, so it is downloaded whole once per run (the origin gives no cheaper check). Fix: ${NO_VALIDATORS_FIX}${legacy}`;
  const fresh = info.freshForTheRun ? 'fresh until the end of the run that checked it (the origin gave no freshness)' : `fresh by the origin's headers until ${formatTime(info.freshUntil!)} UTC`;
  return `revalidated: ${fresh}, then checked with a conditional request; ${validators}${checked}${legacy}`;
}

function stateText(result: ShowResult): string {
  switch (result.state) {
    case 'corrupt':
      return `corrupt: ${result.problem}`;
    case 'orphan-body':
      return 'orphan: a body without meta.json (a crashed write); `bundle-cache clean` removes it';
    case 'orphan-meta':
      return 'orphan: meta.json without its body; `bundle-cache clean` removes it';
    default:
      return result.state;
  }
}

function shaText(result: ShowResult): string {
  if (result.sha256.matches)
    return 'the body matches';
  return result.sha256.actual ? `MISMATCH: the body hashes to ${result.sha256.actual}` : 'body not hashed';
}

function expiryText(expiresInMs: number): string {
  return expiresInMs > 0 ? `in ${formatDuration(expiresInMs)}` : `expired ${formatDuration(expiresInMs)} ago`;
}
