import type { RewarmOn } from '../types.js';
import { inScope, type SessionScope } from './storageState.js';

/** Requests whose answer speaks for the session: pages and the API calls they make, not images or scripts. */
const WATCHED = new Set(['document', 'fetch', 'xhr']);

/** The status that means "slow down", which a re-warm would only make worse. */
export const TOO_MANY_REQUESTS = 429;

/** What one response says about a session. */
export type Verdict = 'rejected' | 'throttled' | 'ignored';

/** Only responses of the session's own origins, to documents, fetch and XHR, are asked. */
export function isWatched(resourceType: string, url: string, scope: SessionScope): boolean {
  return WATCHED.has(resourceType) && inScope(scope, url);
}

/**
 * A watched response matching `rewarmOn` rejects the session. `429` is not a
 * rejection unless `rewarmOn` names it (or its predicate says so): the site
 * asks to back off, and logging in again would hammer it harder. It is
 * reported as `throttled` (a `problem` event, `ERR_SESSION_THROTTLED`).
 */
export async function judge<R>(status: number, rewarmOn: RewarmOn, response: R): Promise<Verdict> {
  const rejects = typeof rewarmOn === 'function'
    ? await (rewarmOn as (response: R) => boolean | Promise<boolean>)(response)
    : rewarmOn.includes(status);
  if (rejects)
    return 'rejected';
  return status === TOO_MANY_REQUESTS ? 'throttled' : 'ignored';
}

/** `status 452 from http://host/path`: no query string or fragment (they may carry tokens). */
export function describeResponse(status: number, url: string): string {
  let where = url;
  try {
    const parsed = new URL(url);
    where = `${parsed.origin}${parsed.pathname}`;
  } catch {
    where = url.split(/[?#]/)[0]!;
  }
  return `status ${status} from ${where}`;
}
