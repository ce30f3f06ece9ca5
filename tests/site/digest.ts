import { createHash } from 'node:crypto';

// Bodies are immutable Buffers that live as long as their server, so their
// digest is computed once per Buffer; the page's HTML embeds several of them.
const memo = new WeakMap<Buffer, string>();

/** Hex SHA-256 of `body`, memoized per Buffer. */
export function sha256Hex(body: Buffer): string {
  let hex = memo.get(body);
  if (hex === undefined) {
    hex = createHash('sha256').update(body).digest('hex');
    memo.set(body, hex);
  }
  return hex;
}
