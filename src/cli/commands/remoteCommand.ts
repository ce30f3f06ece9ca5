import type { RemoteProblem, RemoteProblemKind } from '../../remote/verify.js';
import { closest, validate } from '../args.js';
import { usageError } from '../cliError.js';
import type { CommandSpec, RawArgs } from '../command.js';
import { formatBytes } from '../../options/units.js';
import { plural } from '../format/table.js';
import { inspectCache } from '../inspect/inspectCache.js';
import { RemoteAdmin } from '../../remote/remoteAdmin.js';
import { chooseRemote, describeRemote, REMOTE_FLAGS, remoteFlagsSchema, remoteLabel, type RemoteDescription, type RemoteFlags } from '../remoteTarget.js';

const SUBCOMMANDS = ['verify'] as const;

export interface RemoteVerifyCommandResult {
  readonly command: 'remote';
  readonly subcommand: 'verify';
  readonly dir: string;
  readonly remote: RemoteDescription;
  /** `'listed'`: every record there (Redis SCAN); `'given'`: the records of the local cache's keys (HTTP stores cannot be listed). */
  readonly scope: 'listed' | 'given';
  /** Records looked at, and of those, how many passed every check. */
  readonly checked: number;
  readonly ok: number;
  /** Body bytes read and checked. */
  readonly bytes: number;
  /** What is wrong there: a corrupt or untrusted record, a body that is gone or does not match its sha256, a failed read. */
  readonly problems: RemoteProblem[];
  /** Local keys with no record there (not pushed yet, or expired), or records gone while listing: not wrong, just absent. */
  readonly missing: RemoteProblem[];
  /** Why verify could not run, or could not finish. */
  readonly error: string | null;
}

export const remoteCommand: CommandSpec<RemoteFlags & { subcommand: 'verify' }, RemoteVerifyCommandResult> = {
  name: 'remote',
  summary: 'remote verify: check the records and bodies on the remote (parse, key, signature, size, sha256)',
  usage: 'remote verify [--remote <url>] [--prefix <prefix>]',
  flags: REMOTE_FLAGS,
  arguments: [{ name: 'verify', description: 'check every record on a Redis remote, or the records of the local cache\'s keys on an HTTP one; changes nothing' }],
  examples: [
    'BUNDLE_CACHE_REMOTE=redis://cache.internal:6379 BUNDLE_CACHE_REMOTE_SECRET=… bundle-cache remote verify',
    'bundle-cache remote verify --remote https://cache.example.com/bundle-cache/ --json | jq .problems',
  ],
  parse(args) {
    return { ...validate(remoteFlagsSchema, args.values, 'remote'), subcommand: subcommand(args) };
  },
  /** Redis is listed whole; an HTTP store is checked for the local cache's keys. */
  needsCacheDir(context, input) {
    return chooseRemote(context, input, 'remote').kind === 'http';
  },
  async run(context, input) {
    const remote = chooseRemote(context, input, 'remote');
    const admin = RemoteAdmin.open(remote);
    try {
      let keys: string[] | undefined;
      if (remote.kind === 'http') {
        const inspection = await inspectCache({ dir: context.dir, now: context.io.now() });
        keys = inspection.entries.flatMap(entry => entry.key && entry.state !== 'corrupt' ? [entry.key] : []);
      }
      const verified = await admin.verify(keys);
      return {
        command: 'remote',
        subcommand: 'verify',
        dir: context.dir,
        remote: describeRemote(remote),
        scope: verified.scope,
        checked: verified.checked,
        ok: verified.ok,
        bytes: verified.bytes,
        problems: verified.problems.filter(problem => problem.problem !== 'missing'),
        missing: verified.problems.filter(problem => problem.problem === 'missing'),
        error: verified.error ?? null,
      };
    } finally {
      await admin.close();
    }
  },
  exitCode: result => result.problems.length > 0 || result.error !== null ? 1 : 0,
};

function subcommand(args: RawArgs): 'verify' {
  const [name, extra] = args.positionals;
  if (name === undefined)
    throw usageError(`remote needs a subcommand: ${SUBCOMMANDS.join(', ')}`, 'remote');
  if (name !== 'verify') {
    const guess = closest(name, SUBCOMMANDS);
    throw usageError(`unknown remote subcommand ${JSON.stringify(name)}${guess ? `; did you mean ${JSON.stringify(guess)}?` : `; known: ${SUBCOMMANDS.join(', ')}`}`, 'remote');
  }
  if (extra !== undefined)
    throw usageError(`unexpected argument ${JSON.stringify(extra)}`, 'remote');
  return name;
}

const PROBLEM_TEXT: Record<RemoteProblemKind, string> = {
  'missing': 'missing',
  'corrupt-record': 'corrupt record',
  'untrusted': 'untrusted',
  'body-missing': 'body gone',
  'corrupt-body': 'corrupt body',
  'unavailable': 'unreadable',
};

/** The text of `remote verify`: what was checked, each problem, and the verdict. */
export function formatRemote(result: RemoteVerifyCommandResult): string {
  const checks = result.remote.signed ? 'record, key, signature, size and sha256' : 'record, key, size and sha256 (no secret: signatures not checked)';
  const what = result.scope === 'listed' ? 'records' : 'records of the local cache\'s entries';
  const lines = [
    `remote ${remoteLabel(result.remote)}`,
    `checked ${plural(result.checked, 'record')} (${formatBytes(result.bytes)} of bodies), all ${what}: ${checks}`,
  ];
  for (const problem of result.problems)
    lines.push(`${PROBLEM_TEXT[problem.problem]}: ${problem.url ?? problem.key ?? `record ${problem.id}`}: ${problem.detail}`);
  if (result.missing.length) {
    lines.push(result.scope === 'given'
      ? `not there: ${plural(result.missing.length, 'local entry', 'local entries')} with no record on the remote (\`bundle-cache push\` uploads them)`
      : `gone while listing: ${plural(result.missing.length, 'record')} (expired or evicted)`);
  }
  if (result.error)
    lines.push(`could not verify: ${result.error}`);
  if (result.problems.length)
    lines.push(`${plural(result.problems.length, 'problem')} found, ${result.ok} ok; nothing was changed on the remote`);
  else if (!result.error)
    lines.push(`no problems found, ${result.ok} ok`);
  return lines.join('\n') + '\n';
}
