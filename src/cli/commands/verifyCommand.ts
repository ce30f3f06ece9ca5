import path from 'node:path';
import { z } from 'zod';
import { rebuildIndex } from '../../disk/rebuildIndex.js';
import { nodeStoreFs } from '../../disk/storeFs.js';
import { expectPositionals, validate } from '../args.js';
import type { CommandSpec } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { plural } from '../format/table.js';
import { checkStem } from '../inspect/checkStem.js';
import { indexProblems, reconcileIndex } from '../inspect/indexCheck.js';
import { inspectCache } from '../inspect/inspectCache.js';
import type { IndexState } from '../inspect/inspection.js';
import { versionsIndex } from '../inspect/readIndex.js';
import { summarizeLeftovers, type LeftoverSummary } from '../inspect/summarize.js';
import { runRemovals, type RemovalTask } from '../removal/runRemovals.js';

export interface CorruptEntry {
  readonly stem: string;
  readonly url: string | null;
  readonly problem: string;
  readonly fixed: boolean;
  /** Why it could not be fixed (`busy`: a writer holds its lock). */
  readonly notFixedReason: string | null;
}

export interface VerifyResult {
  readonly command: 'verify';
  readonly dir: string;
  readonly fix: boolean;
  /** Entries checked: meta.json, key, size and sha256 of the body. */
  readonly checked: number;
  readonly bytesChecked: number;
  readonly corrupt: CorruptEntry[];
  readonly index: { readonly state: IndexState; readonly problems: string[]; readonly rebuilt: boolean };
  /** Debris that does not make the cache wrong; `clean` removes it. */
  readonly leftovers: LeftoverSummary;
  /** Entries being written while verify ran: not judged. */
  readonly writing: string[];
  /** Problems found, and how many of them are still there. */
  readonly problems: number;
  readonly unfixed: number;
}

export const verifyCommand: CommandSpec<{ fix: boolean }, VerifyResult> = {
  name: 'verify',
  summary: 're-hash every body against its meta; check cache_versions.json; --fix repairs',
  usage: 'verify [--fix]',
  flags: {
    fix: { type: 'boolean', description: 'remove corrupt entries and rebuild cache_versions.json (keeping history and hits)' },
  },
  examples: ['bundle-cache verify', 'bundle-cache verify --fix'],
  parse(args) {
    expectPositionals(args, 0, 'verify');
    return validate(z.object({ fix: z.boolean().default(false) }), args.values, 'verify');
  },
  async run(context, { fix }) {
    const { dir } = context;
    const now = context.io.now();
    const inspection = await inspectCache({ dir, now, deep: true });
    const broken = [
      ...inspection.entries.filter(entry => entry.state === 'corrupt').map(entry => ({ stem: entry.stem, url: entry.url, problem: entry.problem! })),
      // meta.json is what makes an entry exist; one whose body is gone is a broken entry.
      ...inspection.leftovers.filter(item => item.kind === 'orphan-meta').map(item => ({ stem: item.path.replace(/\.meta\.json$/, ''), url: urlOfKey(item.key), problem: 'body is missing' })),
    ];
    const brokenKeys = new Set([
      ...inspection.entries.filter(entry => entry.state === 'corrupt' && entry.key).map(entry => entry.key!),
      ...inspection.leftovers.flatMap(item => item.kind === 'orphan-meta' && item.key ? [item.key] : []),
    ]);
    const problems = indexProblems(inspection.index, inspection.entries, brokenKeys);
    let corrupt: CorruptEntry[] = broken.map(item => ({ ...item, fixed: false, notFixedReason: null }));
    let rebuilt = false;
    if (fix && broken.length) {
      const tasks: RemovalTask[] = broken.map(item => ({ kind: 'corrupt', path: item.stem, lockBase: path.join(dir, item.stem), url: item.url }));
      const report = await runRemovals(dir, tasks, () => now, async task => {
        // Under the lock: still broken, not rewritten by a writer meanwhile?
        const check = await checkStem(dir, task.path, task.lockBase, true);
        return check.problem !== null || (check.hasMeta && check.bodySize === null);
      });
      const skipped = new Map(report.skipped.map(item => [item.path, item.reason]));
      corrupt = corrupt.map(item => ({ ...item, fixed: !skipped.has(item.stem), notFixedReason: skipped.get(item.stem) ?? null }));
    }
    if (fix && (problems.length || corrupt.some(item => item.fixed))) {
      const fromSidecars = await rebuildIndex(dir, nodeStoreFs, now);
      await versionsIndex(dir, () => now).update(data => Object.assign(data, reconcileIndex(data, fromSidecars)));
      rebuilt = true;
    }
    const unfixed = corrupt.filter(item => !item.fixed).length + (rebuilt ? 0 : problems.length);
    return {
      command: 'verify',
      dir,
      fix,
      checked: inspection.entries.length + broken.length - inspection.entries.filter(entry => entry.state === 'corrupt').length,
      bytesChecked: inspection.entries.reduce((sum, entry) => sum + entry.size, 0),
      corrupt,
      index: { state: inspection.index.state, problems, rebuilt },
      leftovers: summarizeLeftovers(inspection.leftovers.filter(item => item.kind !== 'orphan-meta')),
      writing: inspection.writing,
      problems: corrupt.length + problems.length,
      unfixed,
    };
  },
  exitCode: result => result.unfixed > 0 ? 1 : 0,
};

function urlOfKey(key: string | null): string | null {
  return key?.replace(/^\S+ /, '') ?? null;
}

/** The text of `verify`: what was checked, each problem and whether it was fixed, and the verdict. */
export function formatVerify(result: VerifyResult): string {
  const lines = [`checked ${plural(result.checked, 'entry', 'entries')} (${formatBytes(result.bytesChecked)}): meta.json, key, size and sha256`];
  for (const item of result.corrupt) {
    const outcome = item.fixed ? ' [removed]' : item.notFixedReason === 'busy' ? ' [not removed: a writer holds its lock]' : item.notFixedReason ? ` [not removed: ${item.notFixedReason}]` : '';
    lines.push(`corrupt: ${item.url ?? item.stem}: ${item.problem}${outcome}`);
  }
  for (const problem of result.index.problems)
    lines.push(`index: ${problem}${result.index.rebuilt ? ' [rebuilt]' : ''}`);
  if (result.index.rebuilt && !result.index.problems.length)
    lines.push('index: cache_versions.json rebuilt without the removed entries');
  if (result.writing.length)
    lines.push(`skipped ${plural(result.writing.length, 'entry', 'entries')} being written right now`);
  const { orphans, temps, staleLocks } = result.leftovers;
  if (orphans + temps + staleLocks)
    lines.push(`note: ${plural(orphans, 'orphan')}, ${plural(temps, 'temp file')}, ${plural(staleLocks, 'stale lock')} left over; \`bundle-cache clean\` removes them`);
  if (!result.problems)
    lines.push('no problems found');
  else if (!result.unfixed)
    lines.push(`fixed ${plural(result.problems, 'problem')}`);
  else
    lines.push(`${plural(result.problems, 'problem')} found${result.fix ? `, ${result.unfixed} not fixed` : '; run `bundle-cache verify --fix` to fix them'}`);
  return lines.join('\n') + '\n';
}
