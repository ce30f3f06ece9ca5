import { z } from 'zod';
import { payloadSchema, type SessionPayload } from './storageState.js';
import { seal, sealedSchema, unseal } from './seal.js';

export const SESSION_FORMAT = 1;

const isoTime = z.iso.datetime({ offset: true });

/**
 * `<dir>/sessions/<slug>-<hash>.json`. The header (name, generation, times,
 * failures) is readable without the key; the state (cookies, storage, the
 * origins visited) is `state` in plain JSON, or `sealed` with a key.
 */
const fileSchema = z.object({
  format: z.literal(SESSION_FORMAT),
  name: z.string().min(1),
  keyHash: z.string().regex(/^[0-9a-f]{32}$/),
  generation: z.number().int().min(0),
  /** Failed warm-ups and rejections, for the circuit breaker. */
  failures: z.array(isoTime),
  /** Why the last state is gone: rejected by the site, invalidated, or a warm-up failed after it expired. */
  dropped: z.object({ at: isoTime, kind: z.enum(['rejected', 'invalidated', 'expired', 'unreadable']), reason: z.string() }).nullable(),
  stored: z.object({
    /** Random per state: a generation number starts again at 1 when the file is deleted, an id never repeats. */
    stateId: z.string().regex(/^[0-9a-f]{16,64}$/),
    storedAt: isoTime,
    expiresAt: isoTime,
    expiryReason: z.string(),
    state: payloadSchema.optional(),
    sealed: sealedSchema.optional(),
  }).nullable(),
});

/** The stored state of a record, when it has one. */
export interface StoredState {
  readonly stateId: string;
  readonly storedAt: number;
  readonly expiresAt: number;
  readonly expiryReason: string;
  readonly encrypted: boolean;
  /** Undefined when it could not be read: see `DecodedRecord.unreadable`. */
  readonly payload: SessionPayload | undefined;
}

export type DropKind = 'rejected' | 'invalidated' | 'expired' | 'unreadable';

export interface Dropped {
  readonly at: number;
  readonly kind: DropKind;
  /** For people: `status 452 from http://host/path`, `ttl`. Never a value. */
  readonly reason: string;
}

export interface SessionRecord {
  readonly name: string;
  readonly keyHash: string;
  /** Of the state stored now, or of the last one (dropped); 0 before the first. */
  readonly generation: number;
  readonly failures: readonly number[];
  readonly dropped: Dropped | null;
  readonly stored: StoredState | null;
}

export type DecodedRecord =
  | { readonly kind: 'ok'; readonly record: SessionRecord; readonly unreadable?: string }
  | { readonly kind: 'corrupt'; readonly reason: string };

function associatedData(name: string, keyHash: string, generation: number, stored: { stateId: string; storedAt: string; expiresAt: string; expiryReason: string }): string {
  return JSON.stringify([SESSION_FORMAT, name, keyHash, generation, stored.stateId, stored.storedAt, stored.expiresAt, stored.expiryReason]);
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The file's text. With a secret, the state is sealed; without, it is written as is. */
export function encodeRecord(record: SessionRecord, secret: string | undefined): string {
  let stored: z.input<typeof fileSchema>['stored'] = null;
  if (record.stored) {
    if (!record.stored.payload)
      throw new Error('encodeRecord: a stored state without its payload cannot be written');
    const times = { stateId: record.stored.stateId, storedAt: iso(record.stored.storedAt), expiresAt: iso(record.stored.expiresAt), expiryReason: record.stored.expiryReason };
    const plaintext = JSON.stringify(record.stored.payload);
    stored = secret
      ? { ...times, sealed: seal(plaintext, secret, associatedData(record.name, record.keyHash, record.generation, times)) }
      : { ...times, state: record.stored.payload };
  }
  const file: z.input<typeof fileSchema> = {
    format: SESSION_FORMAT,
    name: record.name,
    keyHash: record.keyHash,
    generation: record.generation,
    failures: record.failures.map(iso),
    dropped: record.dropped ? { at: iso(record.dropped.at), kind: record.dropped.kind, reason: record.dropped.reason } : null,
    stored,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Reads a file's text. A header that does not parse, or names another
 * session than `expected`, is corrupt. A state that cannot be read (wrong
 * key, a sealed file without a key, a plain one while a key is set: never
 * a plaintext fallback) keeps the header, so the generation and the
 * breaker's failures survive it, and says why in `unreadable`.
 */
export function decodeRecord(text: string, secret: string | undefined, expected?: { name: string; keyHash: string }): DecodedRecord {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'corrupt', reason: 'not JSON' };
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success)
    return { kind: 'corrupt', reason: `not a session file (${parsed.error.issues[0]!.path.join('.') || 'file'}: ${parsed.error.issues[0]!.message})` };
  const file = parsed.data;
  if (expected && (file.name !== expected.name || file.keyHash !== expected.keyHash))
    return { kind: 'corrupt', reason: 'it belongs to another session' };
  const base = {
    name: file.name,
    keyHash: file.keyHash,
    generation: file.generation,
    failures: file.failures.map(Date.parse),
    dropped: file.dropped ? { at: Date.parse(file.dropped.at), kind: file.dropped.kind, reason: file.dropped.reason } : null,
  };
  if (!file.stored)
    return { kind: 'ok', record: { ...base, stored: null } };
  const { state, sealed, ...times } = file.stored;
  const { payload, unreadable } = readPayload(state, sealed, secret, associatedData(file.name, file.keyHash, file.generation, times));
  if (!state && !sealed)
    return { kind: 'corrupt', reason: 'its state is missing' };
  const stored: StoredState = {
    stateId: times.stateId,
    storedAt: Date.parse(times.storedAt),
    expiresAt: Date.parse(times.expiresAt),
    expiryReason: times.expiryReason,
    encrypted: sealed !== undefined,
    payload,
  };
  return unreadable ? { kind: 'ok', record: { ...base, stored }, unreadable } : { kind: 'ok', record: { ...base, stored } };
}

function readPayload(state: SessionPayload | undefined, sealed: z.infer<typeof sealedSchema> | undefined, secret: string | undefined, aad: string): { payload?: SessionPayload; unreadable?: string } {
  if (state)
    return secret ? { unreadable: 'it is not encrypted, and a key is set (a plain state is never used then)' } : { payload: state };
  if (!sealed)
    return {};
  if (!secret)
    return { unreadable: 'it is encrypted and no key is set (BUNDLE_CACHE_SESSION_KEY or sessions.key)' };
  const plaintext = unseal(sealed, secret, aad);
  if (plaintext === undefined)
    return { unreadable: 'it does not decrypt with the key set: another key, or the file was changed' };
  try {
    const parsed = payloadSchema.safeParse(JSON.parse(plaintext));
    return parsed.success ? { payload: parsed.data } : { unreadable: 'its decrypted state is not a storage state' };
  } catch {
    return { unreadable: 'its decrypted state is not JSON' };
  }
}
