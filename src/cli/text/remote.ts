import type { RemoteVerifyCommandResult } from '../commands/remote.js';
import type { RemoteProblemKind } from '../../remote/verify.js';
import { formatBytes } from '../format/bytes.js';
import { remoteLabel } from '../format/remote.js';
import { plural } from '../format/table.js';

const PROBLEM_TEXT: Record<RemoteProblemKind, string> = {
  'missing': 'missing',
  'corrupt-record': 'corrupt record',
  'untrusted': 'untrusted',
  'body-missing': 'body gone',
  'corrupt-body': 'corrupt body',
  'unavailable': 'unreadable',
};

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
