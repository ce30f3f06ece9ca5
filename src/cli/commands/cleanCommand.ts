import path from 'node:path';
import { expectPositionals } from '../args.js';
import type { CommandSpec } from '../command.js';
import { plural } from '../format/table.js';
import { checkStem } from '../inspect/checkStem.js';
import { inspectCache, relativePath } from '../inspect/inspectCache.js';
import { removalLines } from '../removal/removalLines.js';
import { runRemovals, type RemovalReport, type RemovalTask } from '../removal/runRemovals.js';

export interface CleanResult extends RemovalReport {
  readonly command: 'clean';
  readonly dir: string;
  /** Half-written entries whose writer is still at work: not debris, left alone. */
  readonly writing: string[];
}

export const cleanCommand: CommandSpec<Record<string, never>, CleanResult> = {
  name: 'clean',
  summary: 'remove expired entries, orphans, temp files of crashed writers and stale locks',
  usage: 'clean',
  flags: {},
  examples: ['bundle-cache clean', 'bundle-cache clean --json | jq .freedBytes'],
  parse(args) {
    expectPositionals(args, 0, 'clean');
    return {};
  },
  async run(context) {
    const now = context.io.now();
    const { entries, leftovers, writing } = await inspectCache({ dir: context.dir, now });
    const tasks: RemovalTask[] = [
      ...entries.filter(entry => entry.state === 'expired').map(entry => ({
        kind: 'expired' as const, path: entry.stem, lockBase: path.join(context.dir, entry.stem), url: entry.url,
      })),
      ...leftovers.map(item => ({ kind: item.kind, path: item.path, lockBase: item.lockBase, url: null })),
    ];
    const report = await runRemovals(context.dir, tasks, () => now, async task => {
      // Under the lock: a writer may have refreshed the entry or completed the half one meanwhile.
      if (task.kind === 'temp' || task.kind === 'stale-lock')
        return true;
      const check = await checkStem(context.dir, relativePath(context.dir, task.lockBase), task.lockBase, false);
      if (task.kind === 'orphan-body')
        return !check.hasMeta;
      if (task.kind === 'orphan-meta')
        return check.bodySize === null && !check.problem;
      return check.meta !== null && !check.problem && Date.parse(check.meta.expiresAt) <= now;
    });
    return { command: 'clean', dir: context.dir, ...report, writing };
  },
  exitCode: result => result.skipped.some(item => item.reason !== 'busy' && item.reason !== 'changed') ? 1 : 0,
};

/** The text of `clean`: what was removed and freed, what was left and why, and the entries being written. */
export function formatClean(result: CleanResult): string {
  const lines = result.removed.length || result.skipped.length || !result.writing.length ? removalLines(result, `nothing to clean in ${result.dir}`) : [];
  if (result.writing.length)
    lines.push(`left alone ${plural(result.writing.length, 'entry', 'entries')} being written right now:`, ...result.writing.map(stem => `  ~ ${stem}`));
  return lines.join('\n') + '\n';
}
