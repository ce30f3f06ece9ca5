import { createHmac } from 'node:crypto';
import { test, expect } from '@playwright/test';
import { canonicalJson, checkSignature, signedMessage, signRecord, SIGNATURE_DOMAIN } from '../../../src/remote/signature.js';
import { entry } from './fixtures.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const { meta } = entry('https://app.test/main.dart.js', Buffer.from('body'), { now: Date.parse('2030-01-01T00:00:00Z'), headers: { 'content-type': 'text/javascript', etag: '"v1"' } });
const raw = () => JSON.parse(JSON.stringify(meta));

/** The spec of signature.ts, written out by hand: a 4-byte big-endian length, then the UTF-8 bytes. */
function field(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

test('should sign exactly the length-prefixed fields the format describes', () => {
  const expected = Buffer.concat([
    field('bundle-cache remote record v1'),
    field(meta.key), field(meta.url), field(meta.sha256), field(String(meta.size)), field(meta.storedAt), field(meta.expiresAt),
    field('2'), field('content-type'), field('text/javascript'), field('etag'), field('"v1"'),
    field(canonicalJson(raw())),
  ]);
  expect(SIGNATURE_DOMAIN).toBe('bundle-cache remote record v1');
  expect(signedMessage(meta, raw()).equals(expected)).toBe(true);
  const key = createHmac('sha256', SECRET).update('bundle-cache remote signing key').digest();
  expect(signRecord(SECRET, meta)).toBe(`hmac-sha256:${createHmac('sha256', key).update(expected).digest('hex')}`);
});

test('should write canonical JSON with sorted keys at every depth and no whitespace', () => {
  expect(canonicalJson({ b: 1, a: { d: [1, 'x', null], c: true }, e: undefined })).toBe('{"a":{"c":true,"d":[1,"x",null]},"b":1}');
  expect(canonicalJson({ 'é': 1, z: 2, Z: 3 })).toBe('{"Z":3,"z":2,"é":1}');
  expect(canonicalJson('a"b')).toBe('"a\\"b"');
});

test('should never give two different records the same message', () => {
  const shifted = { ...meta, key: `${meta.key}a`, url: meta.url.slice(1) };
  const moved = { ...meta, key: meta.key.slice(0, -1), url: `${meta.key.slice(-1)}${meta.url}` };
  expect(signedMessage(shifted, shifted).equals(signedMessage(moved, moved))).toBe(false);
  const left = { ...meta, headers: { a: 'bc' } };
  const right = { ...meta, headers: { ab: 'c' } };
  expect(signedMessage(left, left).equals(signedMessage(right, right))).toBe(false);
});

test('should reject a record when any field changes, the signature is missing, malformed or made with another secret', () => {
  const signature = signRecord(SECRET, meta);
  expect(checkSignature(SECRET, meta, raw(), signature)).toBe('valid');
  const changes: Array<Record<string, unknown>> = [
    { key: 'GET https://evil.test/main.dart.js' }, { url: 'https://evil.test/main.dart.js' }, { sha256: 'f'.repeat(64) }, { size: meta.size + 1 },
    { storedAt: '2031-01-01T00:00:00.000Z' }, { expiresAt: '2099-01-01T00:00:00.000Z' }, { headers: { ...meta.headers, 'content-type': 'text/html' } },
    { status: 203 }, { rule: 'other' }, { vary: { origin: 'x' } }, { etag: 'a field a later release adds' },
  ];
  for (const change of changes) {
    const changed = { ...meta, ...change };
    expect(checkSignature(SECRET, changed, JSON.parse(JSON.stringify(changed)), signature), JSON.stringify(change)).toBe('wrong');
  }
  expect(checkSignature(SECRET, meta, raw(), undefined)).toBe('missing');
  expect(checkSignature(SECRET, meta, raw(), 'sha256:abc')).toBe('malformed');
  expect(checkSignature(SECRET, meta, raw(), `hmac-sha256:${'0'.repeat(63)}`)).toBe('malformed');
  expect(checkSignature(`${SECRET}!`, meta, raw(), signature)).toBe('wrong');
});

test('should verify a record from a newer release that carries fields this one does not know', () => {
  const newer = { ...raw(), freshness: { etag: '"v1"', lastModified: 'Tue, 01 Jan 2030 00:00:00 GMT' } };
  const key = createHmac('sha256', SECRET).update('bundle-cache remote signing key').digest();
  const signature = `hmac-sha256:${createHmac('sha256', key).update(signedMessage(meta, newer)).digest('hex')}`;
  // This release's zod schema strips `freshness`; the signature is checked over what was received.
  expect(checkSignature(SECRET, meta, newer, signature)).toBe('valid');
  expect(checkSignature(SECRET, meta, raw(), signature)).toBe('wrong');
});
