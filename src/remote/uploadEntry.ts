import { expiresAtMs, type CachedResponse } from '../core/meta.js';
import { bodyTimeoutMs, withDeadline } from './deadline.js';
import { encodeRecord, recordId } from './entryRecord.js';
import type { BodyRef, RemoteStore } from './store.js';

/**
 * Bodies outlive their records by an hour: a reader that fetched a record a
 * moment before it expired still finds the body, and a body shared by the
 * records of several keys (the same bytes under two URLs) stays while any
 * of them may still point at it (each upload extends it, never shortens it).
 */
export const BODY_TTL_MARGIN_MS = 60 * 60 * 1000;

/** A record's TTL below this is not worth writing. */
const MIN_RECORD_TTL_MS = 1000;

export interface UploadSettings {
  readonly store: RemoteStore;
  readonly secret: string | undefined;
  readonly timeoutMs: number;
  readonly now: () => number;
}

export type UploadResult = { readonly kind: 'uploaded'; readonly bodySent: boolean } | { readonly kind: 'expired' };

/**
 * Body first (unless the remote already has all of it), record last, so a
 * record is only ever visible with its whole body behind it. The record
 * expires with the entry's maxAge. Rejects with the store's error.
 */
export async function uploadEntry(settings: UploadSettings, { meta, body }: CachedResponse, cancel: AbortSignal): Promise<UploadResult> {
  const { store, secret, timeoutMs } = settings;
  const recordTtlMs = expiresAtMs(meta) - settings.now();
  if (!(recordTtlMs >= MIN_RECORD_TTL_MS))
    return { kind: 'expired' };
  const bodyTtlMs = recordTtlMs + BODY_TTL_MARGIN_MS;
  const ref: BodyRef = { sha256: meta.sha256, size: meta.size, chunks: store.bodyLayout(meta.size) };
  const present = await withDeadline(timeoutMs, cancel, signal => store.hasBody(ref, bodyTtlMs, signal));
  if (!present)
    await withDeadline(bodyTimeoutMs(timeoutMs, ref.size), cancel, signal => store.putBody(ref, body, bodyTtlMs, signal));
  const record = encodeRecord(meta, ref.chunks, secret);
  await withDeadline(timeoutMs, cancel, signal => store.putRecord(recordId(meta.key), record, Math.round(recordTtlMs), signal));
  return { kind: 'uploaded', bodySent: !present };
}
