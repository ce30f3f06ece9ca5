import type { HistoryLine } from '../../disk/indexSchema.js';
import { normalizeUrl } from '../../keys/normalizeUrl.js';
import { splitVersion } from '../../keys/version.js';
import { expectPositionals } from '../args.js';
import { CliError } from '../cliError.js';
import type { CommandSpec, TextView } from '../command.js';
import { urlWidth } from '../format/entriesTable.js';
import { historyTable } from '../format/historyTable.js';
import { plural } from '../format/table.js';
import type { IndexState } from '../inspect/inspection.js';
import { readIndex } from '../inspect/readIndex.js';

export interface ResourceVersions {
  /** The URL with its version taken out. */
  readonly id: string;
  readonly version: string | null;
  readonly url: string;
  readonly key: string;
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Older versions came back, so every version is kept instead of superseded. */
  readonly multiVersion: boolean;
  /** Whether the current version's entry is in the cache (it may have been evicted or cleared). */
  readonly cached: boolean;
  /** Superseded versions, newest first. */
  readonly history: HistoryLine[];
}

export interface VersionsResult {
  readonly command: 'versions';
  readonly dir: string;
  readonly index: { readonly state: IndexState; readonly dropped: number };
  readonly filter: string | null;
  /** By resource id. */
  readonly resources: ResourceVersions[];
}

export const versionsCommand: CommandSpec<{ resource: string | undefined }, VersionsResult> = {
  name: 'versions',
  summary: 'the version history from cache_versions.json: first seen, superseded',
  usage: 'versions [resource]',
  flags: {},
  arguments: [{ name: 'resource', description: 'a resource id, a URL of any of its versions, or part of its URL (default: all)' }],
  examples: ['bundle-cache versions', 'bundle-cache versions main.dart.js'],
  parse(args) {
    const [resource] = expectPositionals(args, 1, 'versions');
    return { resource };
  },
  async run(context, { resource: filter }) {
    const { data, state, dropped } = await readIndex(context.dir, context.io.now());
    const all = Object.entries(data.resources)
        .map(([id, record]): ResourceVersions => ({
          id, version: record.version, url: record.url, key: record.key, firstSeen: record.firstSeen, lastSeen: record.lastSeen,
          multiVersion: record.multiVersion, cached: record.key in data.entries, history: record.history,
        }))
        .sort((a, b) => a.id.localeCompare(b.id));
    const resources = filter === undefined ? all : selectResources(all, filter);
    if (filter !== undefined && !resources.length)
      throw new CliError('ERR_NOT_FOUND', `no resource matches ${JSON.stringify(filter)} in ${context.dir}${all.length ? `; known: ${all.map(r => r.id).join(', ')}` : ''}`);
    return { command: 'versions', dir: context.dir, index: { state, dropped }, filter: filter ?? null, resources };
  },
};

/** An exact id, the id of a URL given with any version, else every id containing the text. */
export function selectResources(all: readonly ResourceVersions[], filter: string): ResourceVersions[] {
  const exact = all.filter(resource => resource.id === filter || resource.id === resourceIdOf(filter));
  if (exact.length)
    return exact;
  const needle = filter.toLowerCase();
  return all.filter(resource => resource.id.toLowerCase().includes(needle));
}

function resourceIdOf(url: string): string | undefined {
  try {
    return splitVersion(normalizeUrl(url)).resource;
  } catch {
    return undefined;
  }
}

/** The text of `versions`: each resource with its history table. */
export function formatVersions(result: VersionsResult, view: TextView): string {
  const lines: string[] = [];
  if (result.index.state === 'missing' && result.resources.length)
    lines.push('cache_versions.json is missing: versions below are rebuilt from the entries, without history; `bundle-cache verify --fix` writes it back.', '');
  else if (result.index.state === 'corrupt' && result.resources.length)
    lines.push('cache_versions.json is damaged: versions below may be incomplete; `bundle-cache verify --fix` rebuilds it.', '');
  if (!result.resources.length)
    lines.push(`no versions recorded in ${result.dir} yet`);
  for (const resource of result.resources) {
    const notes = [plural(resource.history.length + 1, 'version')];
    if (!resource.cached)
      notes.push('current version not cached');
    if (resource.multiVersion)
      notes.push('several versions in use, all kept');
    lines.push(`${resource.id}  (${notes.join(', ')})`);
    lines.push(...historyTable(resource, urlWidth(view)).map(line => `  ${line}`), '');
  }
  return lines.join('\n').trimEnd() + '\n';
}
