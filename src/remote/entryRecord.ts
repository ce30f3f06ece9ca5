import { createHash } from 'node:crypto';
import { z } from 'zod';
import { metaSchema, type EntryMeta } from '../core/meta.js';
import { checkSignature, signRecord, type SignatureCheck } from './signature.js';

/**
 * The entry record: what `ac/<id>` holds, written after the body so that a
 * record is only ever visible once its body is complete.
 *
 *   { "format": "bundle-cache-remote-record/1", "meta": EntryMeta,
 *     "chunks": [byte lengths]?, "signature": "hmac-sha256:…"? }
 *
 * `meta` is the disk tier's meta.json, whole (validators and times
 * included), so freshness applies to remote entries as to local ones.
 * `chunks` is how the writer split the body (Redis), not signed: a reader
 * checks the whole body's size and sha256 whatever the chunks say.
 */
export const RECORD_FORMAT = 'bundle-cache-remote-record/1';

const envelopeSchema = z.object({
  format: z.string(),
  meta: z.unknown(),
  chunks: z.array(z.number().int().positive()).optional(),
  signature: z.string().optional(),
});

/** The record's address: the sha256 of the entry's key, in hex (Bazel's `ac/<sha256 of key>`). */
export function recordId(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function encodeRecord(meta: EntryMeta, chunks: readonly number[] | undefined, secret: string | undefined): Buffer {
  const record = { format: RECORD_FORMAT, meta, chunks, signature: secret === undefined ? undefined : signRecord(secret, meta) };
  return Buffer.from(JSON.stringify(record), 'utf8');
}

export interface DecodedRecord {
  readonly meta: EntryMeta;
  readonly chunks: readonly number[] | undefined;
  /** `meta` as received, before zod dropped fields this release does not know: what the signature covers. */
  readonly rawMeta: unknown;
  readonly signature: string | undefined;
}

export type DecodeResult =
  | { readonly ok: true; readonly record: DecodedRecord }
  | { readonly ok: false; readonly problem: string };

/** Parses and validates the record found at `id`; never throws. */
export function decodeRecord(bytes: Buffer, id: string): DecodeResult {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { ok: false, problem: `not JSON (${bytes.length} bytes starting ${JSON.stringify(bytes.subarray(0, 24).toString('latin1'))})` };
  }
  const envelope = envelopeSchema.safeParse(json);
  if (!envelope.success)
    return { ok: false, problem: `not a record (${issueText(envelope.error)})` };
  const { format, meta: rawMeta, chunks, signature } = envelope.data;
  if (format !== RECORD_FORMAT)
    return { ok: false, problem: `record format ${JSON.stringify(format)}, expected ${JSON.stringify(RECORD_FORMAT)} (written by another release?)` };
  const meta = metaSchema.safeParse(rawMeta);
  if (!meta.success)
    return { ok: false, problem: `meta does not match format version 1 (${issueText(meta.error)})` };
  if (recordId(meta.data.key) !== id)
    return { ok: false, problem: `record belongs to another key (${meta.data.key})` };
  if (chunks && chunks.reduce((sum, length) => sum + length, 0) !== meta.data.size)
    return { ok: false, problem: `chunks add up to ${chunks.reduce((sum, length) => sum + length, 0)} bytes, meta says ${meta.data.size}` };
  return { ok: true, record: { meta: meta.data, chunks, rawMeta, signature } };
}

export function recordSignature(record: DecodedRecord, secret: string): SignatureCheck {
  return checkSignature(secret, record.meta, record.rawMeta, record.signature);
}

function issueText(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'root'}: ${issue?.message}`;
}
