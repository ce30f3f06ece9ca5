import { EntryStore } from '../../disk/entryStore.js';
import type { CachedResponse } from '../../core/meta.js';
import { nodeStoreFs } from '../../disk/storeFs.js';
import type { PublishOutcome } from '../../remote/uploadQueue.js';
import { expectPositionals, validate } from '../args.js';
import { usageError } from '../cliError.js';
import type { CommandSpec, TextView } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { urlWidth } from '../format/entriesTable.js';
import { renderTable } from '../format/table.js';
import { shortenUrl } from '../format/url.js';
import { inspectCache } from '../inspect/inspectCache.js';
import type { EntryInfo } from '../inspect/inspection.js';
import { sortEntries } from '../inspect/selectEntries.js';
import { mapLimit } from '../mapLimit.js';
import { createProgress } from '../progress.js';
import { chooseRemote, openRemote, REMOTE_FLAGS, remoteFlagsSchema, remoteLabel, type RemoteDescription, type RemoteFlags, type RemoteProblemLine } from '../remoteTarget.js';

/**
 * - `pushed`: body and record uploaded;
 * - `present`: the body was there already, the record was written;
 * - `skipped`: not offered (expired, being written, or uploads stopped after a refusal);
 * - `failed`: the upload failed, or the local entry is corrupt.
 */
export type PushOutcome = 'pushed' | 'present' | 'skipped' | 'failed';

export interface PushItem {
  readonly url: string;
  readonly size: number;
  readonly outcome: PushOutcome;
  readonly reason: string | null;
}

export interface PushResult {
  readonly command: 'push';
  readonly dir: string;
  readonly remote: RemoteDescription;
  /** One per local entry, by URL. */
  readonly items: PushItem[];
  readonly summary: {
    readonly pushed: number;
    /** Body bytes sent. */
    readonly bytesSent: number;
    readonly present: number;
    readonly skipped: number;
    readonly failed: number;
  };
  /** What the remote tier reported (a refused write with its fix, an unreachable server). */
  readonly problems: RemoteProblemLine[];
}

const CONCURRENCY = 4;

export const pushCommand: CommandSpec<RemoteFlags, PushResult> = {
  name: 'push',
  summary: 'upload the local cache\'s entries to the remote (a CI job warms once, then pushes)',
  usage: 'push [--remote <url>] [--prefix <prefix>]',
  flags: REMOTE_FLAGS,
  examples: [
    'BUNDLE_CACHE_REMOTE=redis://cache.internal:6379 bundle-cache push',
    'bundle-cache warm --page https://app.example.com/ && bundle-cache push --remote https://ci-writer:PASSWORD@cache.example.com/bundle-cache/',
  ],
  parse(args) {
    expectPositionals(args, 0, 'push');
    return validate(remoteFlagsSchema, args.values, 'push');
  },
  needsCacheDir(context, input) {
    const remote = chooseRemote(context, input, 'push');
    if (remote.readOnly)
      throw usageError(`the remote ${remote.location} is read-only here (BUNDLE_CACHE_REMOTE_READONLY), and push writes to it. Fix: unset BUNDLE_CACHE_REMOTE_READONLY on the machine that pushes`, 'push');
    return true;
  },
  async run(context, input) {
    const { tier, description, problems } = openRemote(context, input, 'push');
    try {
      const now = context.io.now();
      const inspection = await inspectCache({ dir: context.dir, now });
      const store = new EntryStore(context.dir, nodeStoreFs);
      const entries = sortEntries(inspection.entries, 'url');
      const progress = createProgress(context.io.stderr, entries.length, 'push');
      let done = 0;
      let sent = 0;
      const items = await mapLimit(entries, CONCURRENCY, async entry => {
        const item = await pushEntry(entry, store, response => tier.publish(response.meta, response.body));
        sent += item.outcome === 'pushed' ? item.size : 0;
        progress.update(++done, `${formatBytes(sent)} sent`);
        return item;
      });
      progress.finish();
      const count = (outcome: PushOutcome) => items.filter(item => item.outcome === outcome).length;
      return {
        command: 'push',
        dir: context.dir,
        remote: description,
        items,
        summary: { pushed: count('pushed'), bytesSent: sent, present: count('present'), skipped: count('skipped'), failed: count('failed') },
        problems,
      };
    } finally {
      await tier.close(0);
    }
  },
  exitCode: result => result.summary.failed > 0 || result.problems.length > 0 ? 1 : 0,
};

async function pushEntry(entry: EntryInfo, store: EntryStore, push: (response: CachedResponse) => Promise<PublishOutcome>): Promise<PushItem> {
  const item = (outcome: PushOutcome, reason: string | null = null): PushItem => ({ url: entry.url ?? entry.stem, size: entry.size, outcome, reason });
  if (entry.state === 'corrupt' || !entry.key || !entry.url)
    return item('failed', `corrupt here (${entry.problem ?? 'meta.json unreadable'}); \`bundle-cache verify --fix\` removes it`);
  if (entry.state === 'expired')
    return item('skipped', 'expired');
  const read = await store.read(entry.key, entry.url);
  if (read.kind === 'absent')
    return item('skipped', 'removed while pushing');
  if (read.kind === 'corrupt')
    return item('failed', `corrupt here (${read.error.message}); \`bundle-cache verify --fix\` removes it`);
  const outcome = await push(read.response);
  if (outcome.kind === 'uploaded')
    return item(outcome.bodySent ? 'pushed' : 'present', outcome.bodySent ? null : 'body already there: record written');
  return item(outcome.kind === 'skipped' ? 'skipped' : 'failed', outcome.reason);
}

const OUTCOME_TEXT: Record<PushOutcome, string> = {
  pushed: 'pushed',
  present: 'record only',
  skipped: 'skipped',
  failed: 'failed',
};

/** The text of `push`: one line per entry, the remote's problems, then the counts. */
export function formatPush(result: PushResult, view: TextView): string {
  const width = urlWidth(view);
  const lines = [`remote ${remoteLabel(result.remote)}`, ''];
  if (result.items.length) {
    lines.push(...renderTable([{ header: 'URL' }, { header: 'RESULT' }, { header: 'SIZE', align: 'right' }, { header: 'NOTE' }],
        result.items.map(item => [shortenUrl(item.url, width), OUTCOME_TEXT[item.outcome], formatBytes(item.size), item.reason ?? ''])), '');
  } else {
    lines.push(`nothing to push: the cache at ${result.dir} has no entries`, '');
  }
  for (const problem of result.problems)
    lines.push(`${problem.code}: ${problem.message}`);
  if (result.problems.length)
    lines.push('');
  const { summary } = result;
  lines.push(`pushed ${summary.pushed} (${formatBytes(summary.bytesSent)} sent), record only ${summary.present}, skipped ${summary.skipped}, failed ${summary.failed}`);
  return lines.join('\n') + '\n';
}
