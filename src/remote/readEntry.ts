import { createHash } from 'node:crypto';
import { BundleCacheError, isBundleCacheError } from '../errors.js';
import type { CachedResponse } from '../core/meta.js';
import { bodyTimeoutMs, withDeadline } from './deadline.js';
import { decodeRecord, recordSignature, type DecodedRecord } from './entryRecord.js';
import type { BodyRef, RemoteStore } from './store.js';
import { asRemoteError } from './storeErrors.js';

/** What reading one entry from the remote found. Only `hit` carries bytes, and they passed every check. */
export type ReadOutcome =
  | { readonly kind: 'hit'; readonly response: CachedResponse }
  | { readonly kind: 'absent' }
  /** The record is there, its body is not (evicted, never completed): a plain miss. */
  | { readonly kind: 'body-missing'; readonly record: DecodedRecord }
  | { readonly kind: 'untrusted'; readonly error: BundleCacheError }
  | { readonly kind: 'corrupt'; readonly part: 'record' | 'body'; readonly error: BundleCacheError; readonly body?: BodyRef }
  | { readonly kind: 'unavailable'; readonly error: BundleCacheError };

export interface ReadSettings {
  readonly store: RemoteStore;
  readonly secret: string | undefined;
  readonly timeoutMs: number;
}

/**
 * Reads the record at `id`, validates it (JSON, zod, its key, its
 * signature when a secret is set), then fetches its body and checks size
 * and sha256. `key`, when given, must be the record's key. `known`: a body
 * this machine read and checked already; when the record names it (same
 * sha256 and size), it is not downloaded again. Never throws.
 */
export async function readEntry(settings: ReadSettings, id: string, key: string | undefined, cancel?: AbortSignal, known?: CachedResponse): Promise<ReadOutcome> {
  const { store, secret, timeoutMs } = settings;
  try {
    const bytes = await withDeadline(timeoutMs, cancel, signal => store.getRecord(id, signal));
    if (!bytes)
      return { kind: 'absent' };
    const decoded = decodeRecord(bytes, id);
    if (!decoded.ok)
      return { kind: 'corrupt', part: 'record', error: corrupt(store, id, key, decoded.problem) };
    const record = decoded.record;
    if (key !== undefined && record.meta.key !== key)
      return { kind: 'corrupt', part: 'record', error: corrupt(store, id, key, `record belongs to another key (${record.meta.key})`) };
    if (secret !== undefined) {
      const check = recordSignature(record, secret);
      if (check !== 'valid')
        return { kind: 'untrusted', error: untrusted(store, id, record, check) };
    }
    if (known && known.meta.sha256 === record.meta.sha256 && known.body.length === record.meta.size)
      return { kind: 'hit', response: { meta: record.meta, body: known.body } };
    const ref: BodyRef = { sha256: record.meta.sha256, size: record.meta.size, chunks: record.chunks };
    const body = await withDeadline(bodyTimeoutMs(timeoutMs, ref.size), cancel, signal => store.getBody(ref, signal));
    if (!body)
      return { kind: 'body-missing', record };
    if (body.length !== ref.size)
      return { kind: 'corrupt', part: 'body', body: ref, error: corrupt(store, id, record.meta.url, `body is ${body.length} bytes, the record says ${ref.size}`, { url: record.meta.url, expectedSize: ref.size, foundSize: body.length }) };
    const digest = createHash('sha256').update(body).digest('hex');
    if (digest !== ref.sha256)
      return { kind: 'corrupt', part: 'body', body: ref, error: corrupt(store, id, record.meta.url, `body sha256 is ${digest}, the record says ${ref.sha256}`, { url: record.meta.url, expected: ref.sha256, found: digest }) };
    return { kind: 'hit', response: { meta: record.meta, body } };
  } catch (error) {
    const remoteError = isBundleCacheError(error) ? error : asRemoteError(store.location, 'read an entry', error);
    return { kind: 'unavailable', error: remoteError };
  }
}

function corrupt(store: RemoteStore, id: string, what: string | undefined, problem: string, extra: Record<string, unknown> = {}): BundleCacheError {
  return new BundleCacheError('ERR_REMOTE_CORRUPT',
      `Remote ${store.location} has a corrupt entry ${what ? `for ${what} ` : ''}(record ${id}): ${problem}. It is ignored (a miss). Fix: nothing needed, the next machine to store this entry replaces it; \`bundle-cache remote verify\` lists any others.`,
      { remote: store.location, record: id, problem, ...extra });
}

function untrusted(store: RemoteStore, id: string, record: DecodedRecord, check: string): BundleCacheError {
  const why = check === 'missing' ? 'has no signature' : check === 'malformed' ? 'has a malformed signature' : 'has a wrong signature';
  return new BundleCacheError('ERR_REMOTE_UNTRUSTED',
      `Remote ${store.location} record for ${record.meta.url} (${id}) ${why}, and a secret is set: ignored (a miss). Fix: if every writer should be trusted, give all of them the same remote.secret / BUNDLE_CACHE_REMOTE_SECRET; otherwise someone without the secret can write to this remote: revoke that access.`,
      { remote: store.location, record: id, url: record.meta.url, signature: check });
}
