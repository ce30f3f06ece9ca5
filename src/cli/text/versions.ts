import type { TextView } from '../command.js';
import type { VersionsResult } from '../commands/versions.js';
import { plural } from '../format/table.js';
import { urlWidth } from './entriesTable.js';
import { historyTable } from './historyTable.js';

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
