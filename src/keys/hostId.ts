import { createHash } from 'node:crypto';
import os from 'node:os';

let cached: string | undefined;

/**
 * This machine, as entries record who checked them: a short digest of its
 * host name (never the name itself: records travel to a shared remote).
 * Processes of one machine share a clock; another machine's may be a
 * little off, which the freshness rules allow for.
 */
export function hostId(): string {
  cached ??= createHash('sha256').update(`bundle-cache host ${os.hostname()}`).digest('hex').slice(0, 16);
  return cached;
}
