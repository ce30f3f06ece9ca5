import { BundleCacheError, isBundleCacheError } from '../errors.js';
import { Cancelled, DeadlineExceeded } from './deadline.js';

/**
 * The two ways a remote operation fails, as the stores report them.
 * Unavailable is transient (the breaker counts it); a refused write is a
 * setup problem that will not heal during the run (uploads stop).
 */

export function remoteUnavailable(location: string, operation: string, detail: string, extra: Record<string, unknown> = {}, cause?: unknown): BundleCacheError {
  const fix = typeof extra.fix === 'string' ? extra.fix
    : 'check that the server is up and reachable from this machine (this run carries on with the disk tier and the origin)';
  return new BundleCacheError('ERR_REMOTE_UNAVAILABLE',
      `Remote ${location} failed to ${operation}: ${detail.replace(/\.$/, '')}. Fix: ${fix}.`,
      { remote: location, operation, ...extra, fix }, { cause });
}

export function writeRefused(location: string, operation: string, detail: string, fix: string, extra: Record<string, unknown> = {}, cause?: unknown): BundleCacheError {
  return new BundleCacheError('ERR_REMOTE_WRITE_REFUSED',
      `Remote ${location} refused to ${operation}: ${detail.replace(/\.$/, '')}. Uploads stop for this run. Fix: ${fix}.`,
      { remote: location, operation, ...extra, fix }, { cause });
}

/** Any failure of a client call, as a `BundleCacheError`: a deadline, a cancel, or a network error. */
export function asRemoteError(location: string, operation: string, error: unknown): BundleCacheError {
  if (isBundleCacheError(error))
    return error;
  if (error instanceof DeadlineExceeded)
    return remoteUnavailable(location, operation, error.message, { timeoutMs: error.timeoutMs, fix: 'check that the server is up and answering; raise remote.timeout if it is only slow' });
  if (error instanceof Cancelled)
    return remoteUnavailable(location, operation, error.message, { cancelled: true, fix: 'nothing: the work was given up on purpose' });
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = (error as { code?: unknown } | null)?.code ?? cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  const detail = typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  const causeDetail = typeof cause?.message === 'string' && cause.message !== message ? `: ${cause.message}` : '';
  return remoteUnavailable(location, operation, `${detail}${causeDetail}`, typeof code === 'string' ? { errno: code } : {}, error);
}
