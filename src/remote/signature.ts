import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EntryMeta } from '../core/meta.js';

/**
 * HMAC-SHA256 signatures of entry records.
 *
 * The signed message is a sequence of fields, each encoded as its UTF-8
 * byte length (4 bytes, unsigned big-endian) followed by those bytes, so no
 * two different records share a message ("a" + "bc" is not "ab" + "c"):
 *
 *   1. the domain tag `bundle-cache remote record v1`
 *   2. key   3. url   4. sha256   5. size (decimal)   6. storedAt   7. expiresAt
 *   8. the number of headers (decimal), then for each header, sorted by
 *      name (UTF-16 code unit order): its name, then its value
 *   9. the whole meta as canonical JSON: object keys sorted the same way at
 *      every depth, no whitespace, values as `JSON.stringify` writes them.
 *
 * Fields 2–8 are the ones a poisoner would change; field 9 covers every
 * other field (status, vary, rule, and the freshness fields a later release
 * adds), so nothing in a record escapes the signature. It is computed over
 * the meta as the reader received it, before zod strips fields it does not
 * know, so a record from a newer release still verifies.
 *
 * The HMAC key is HMAC-SHA256(secret, `bundle-cache remote signing key`):
 * the same secret reused elsewhere (a session key) never signs records
 * directly. The signature is `hmac-sha256:` and 64 hex digits, compared
 * with `timingSafeEqual`.
 */
export const SIGNATURE_DOMAIN = 'bundle-cache remote record v1';
const KEY_LABEL = 'bundle-cache remote signing key';
const SIGNATURE_PATTERN = /^hmac-sha256:([0-9a-f]{64})$/;

/** The fields of a record that the signature covers (see above). */
export type SignedMeta = Pick<EntryMeta, 'key' | 'url' | 'sha256' | 'size' | 'storedAt' | 'expiresAt' | 'headers'>;

function field(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** JSON with object keys sorted at every depth: one text per value. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map(item => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, item]) => item !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The exact bytes that are signed, for a meta and its raw JSON form. */
export function signedMessage(meta: SignedMeta, rawMeta: unknown): Buffer {
  const headers = Object.keys(meta.headers).sort();
  return Buffer.concat([
    field(SIGNATURE_DOMAIN),
    field(meta.key), field(meta.url), field(meta.sha256), field(String(meta.size)), field(meta.storedAt), field(meta.expiresAt),
    field(String(headers.length)), ...headers.flatMap(name => [field(name), field(meta.headers[name]!)]),
    field(canonicalJson(rawMeta)),
  ]);
}

function mac(secret: string, message: Buffer): Buffer {
  const key = createHmac('sha256', secret).update(KEY_LABEL).digest();
  return createHmac('sha256', key).update(message).digest();
}

/** Signs a meta as a reader will see it (its JSON round trip). */
export function signRecord(secret: string, meta: EntryMeta): string {
  return `hmac-sha256:${mac(secret, signedMessage(meta, JSON.parse(JSON.stringify(meta)))).toString('hex')}`;
}

export type SignatureCheck = 'valid' | 'missing' | 'malformed' | 'wrong';

export function checkSignature(secret: string, meta: SignedMeta, rawMeta: unknown, signature: string | undefined): SignatureCheck {
  if (signature === undefined)
    return 'missing';
  const hex = SIGNATURE_PATTERN.exec(signature)?.[1];
  if (!hex)
    return 'malformed';
  return timingSafeEqual(Buffer.from(hex, 'hex'), mac(secret, signedMessage(meta, rawMeta))) ? 'valid' : 'wrong';
}
