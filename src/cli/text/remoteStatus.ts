import type { RemoteStatus } from '../../remote/remoteTier.js';

/** The `remote` line of `status`: where, whether it answers, and what this machine may do with it. */
export function remoteFields(remote: RemoteStatus): Array<[string, string]> {
  const traits = [
    remote.reachable ? 'reachable' : 'unreachable',
    remote.readOnly ? 'read-only' : 'writable',
    remote.signed ? 'signed' : 'unsigned (no secret)',
    fleetLock(remote),
  ];
  const fields: Array<[string, string]> = [['remote', `${remote.location}: ${traits.join(', ')}`]];
  if (remote.error)
    fields.push(['', remote.error]);
  return fields;
}

function fleetLock(remote: RemoteStatus): string {
  if (remote.fleetLock)
    return 'fleet lock';
  return remote.kind === 'http' ? 'no fleet lock (HTTP: one fetch per machine)' : 'no fleet lock of its own (read-only: waits for the writers\' records)';
}
