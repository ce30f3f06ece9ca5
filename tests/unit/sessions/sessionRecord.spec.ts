import { test, expect } from '@playwright/test';
import { decodeRecord, encodeRecord, type SessionRecord } from '../../../src/sessions/sessionRecord.js';
import { payload } from './state.js';

const SECRET = 'k'.repeat(32) + '-test-secret';
const OTHER = 'o'.repeat(40);
const at = Date.UTC(2026, 10, 21, 12, 0, 0);

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  return {
    name: 'alice',
    keyHash: 'a'.repeat(32),
    generation: 3,
    failures: [at - 1000],
    dropped: null,
    stored: { stateId: '0123456789abcdef', storedAt: at, expiresAt: at + 3_600_000, expiryReason: 'ttl', encrypted: true, payload: payload() },
    ...overrides,
  };
}

const expected = { name: 'alice', keyHash: 'a'.repeat(32) };

test('should round-trip a record in plain JSON without a key', () => {
  const text = encodeRecord(record(), undefined);
  expect(text).toContain('tok-secret-canary');
  const decoded = decodeRecord(text, undefined, expected);
  expect(decoded).toEqual({ kind: 'ok', record: record({ stored: { ...record().stored!, encrypted: false } }) });
});

test('should encrypt the state with a key and read it back with that key only', () => {
  const text = encodeRecord(record(), SECRET);
  expect(text).not.toContain('tok-secret-canary');
  expect(text).not.toContain('value-of-sid');
  expect(text).not.toContain('127.0.0.1');
  expect(decodeRecord(text, SECRET, expected)).toEqual({ kind: 'ok', record: record() });
  const wrongKey = decodeRecord(text, OTHER, expected);
  expect(wrongKey.kind === 'ok' && wrongKey.record.stored?.payload).toBeUndefined();
  expect(wrongKey).toMatchObject({ kind: 'ok', unreadable: expect.stringContaining('does not decrypt'), record: { generation: 3, failures: [at - 1000] } });
  expect(decodeRecord(text, undefined, expected)).toMatchObject({ kind: 'ok', unreadable: expect.stringContaining('no key is set') });
});

test('should use a fresh salt and nonce for every write', () => {
  const first = JSON.parse(encodeRecord(record(), SECRET));
  const second = JSON.parse(encodeRecord(record(), SECRET));
  expect(first.stored.sealed.nonce).not.toBe(second.stored.sealed.nonce);
  expect(first.stored.sealed.salt).not.toBe(second.stored.sealed.salt);
  expect(first.stored.sealed.data).not.toBe(second.stored.sealed.data);
  expect(Buffer.from(first.stored.sealed.nonce, 'base64')).toHaveLength(12);
});

test('should refuse a tampered ciphertext, tag or header, never falling back to anything', () => {
  const file = JSON.parse(encodeRecord(record(), SECRET));
  const flip = (b64: string) => {
    const bytes = Buffer.from(b64, 'base64');
    bytes[0] = bytes[0]! ^ 1;
    return bytes.toString('base64');
  };
  const variants = [
    { ...file, stored: { ...file.stored, sealed: { ...file.stored.sealed, data: flip(file.stored.sealed.data) } } },
    { ...file, stored: { ...file.stored, sealed: { ...file.stored.sealed, tag: flip(file.stored.sealed.tag) } } },
    // The name and generation are associated data: a state moved to another session or generation does not open.
    { ...file, generation: 4 },
    { ...file, stored: { ...file.stored, expiresAt: new Date(at + 99 * 3_600_000).toISOString() } },
  ];
  for (const variant of variants)
    expect(decodeRecord(JSON.stringify(variant), SECRET)).toMatchObject({ kind: 'ok', unreadable: expect.stringContaining('does not decrypt') });
  const renamed = { ...file, name: 'bob' };
  expect(decodeRecord(JSON.stringify(renamed), SECRET, expected)).toEqual({ kind: 'corrupt', reason: 'it belongs to another session' });
  expect(decodeRecord(JSON.stringify(renamed), SECRET)).toMatchObject({ kind: 'ok', unreadable: expect.stringContaining('does not decrypt') });
});

test('should never use a plain state while a key is set', () => {
  const plain = encodeRecord(record(), undefined);
  expect(decodeRecord(plain, SECRET, expected)).toMatchObject({ kind: 'ok', unreadable: expect.stringContaining('not encrypted'), record: { stored: { payload: undefined } } });
});

test('should call damaged files corrupt, not throw', () => {
  const text = encodeRecord(record(), SECRET);
  for (const damaged of ['', '{', text.slice(0, text.length / 2), 'null', '[]', JSON.stringify({ format: 2 }), JSON.stringify({ ...JSON.parse(text), stored: { ...JSON.parse(text).stored, sealed: undefined } })])
    expect(decodeRecord(damaged, SECRET, expected).kind).toBe('corrupt');
});

test('should keep the header of a record whose state was dropped', () => {
  const dropped = record({ stored: null, dropped: { at, kind: 'rejected', reason: 'status 452 from http://127.0.0.1:1/api/me' } });
  expect(decodeRecord(encodeRecord(dropped, SECRET), SECRET, expected)).toEqual({ kind: 'ok', record: dropped });
});
