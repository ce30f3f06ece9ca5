import type { RemoteDescription } from '../remoteTarget.js';

/** `redis://127.0.0.1:6379 (signed, read-only)`: where, and whether its records are signed; never a password. */
export function remoteLabel(remote: RemoteDescription): string {
  const traits = [remote.signed ? 'signed' : 'unsigned', ...remote.readOnly ? ['read-only'] : []];
  return `${remote.location} (${traits.join(', ')})`;
}
