import { expect, test } from '@playwright/test';
import { freshnessHeaders, hasValidators, isEntityTag, MAX_VALIDATOR_LENGTH, validatorsOf } from '../../../src/freshness/originHeaders.js';

test('should keep only the freshness headers, lower-cased', () => {
  expect(freshnessHeaders({ 'Cache-Control': 'max-age=60', ETag: '"a"', 'Content-Type': 'text/javascript', 'Set-Cookie': 'x=1', Date: 'Tue, 01 Dec 2026 10:00:00 GMT' }))
    .toEqual({ 'cache-control': 'max-age=60', etag: '"a"', date: 'Tue, 01 Dec 2026 10:00:00 GMT' });
});

test('should join repeated Cache-Control lines into one list', () => {
  expect(freshnessHeaders({ 'cache-control': 'max-age=600\nno-cache' })['cache-control']).toBe('max-age=600, no-cache');
});

test('should drop a 100 KB ETag, a malformed one and two that disagree', () => {
  expect(freshnessHeaders({ etag: `"${'x'.repeat(100 * 1024)}"` }).etag).toBeUndefined();
  expect(freshnessHeaders({ etag: 'unquoted' }).etag).toBeUndefined();
  expect(freshnessHeaders({ etag: '"a"\n"b"' }).etag).toBeUndefined();
  expect(freshnessHeaders({ etag: `"${'x'.repeat(MAX_VALIDATOR_LENGTH - 2)}"` }).etag).toBeDefined();
});

test('should drop an invalid Last-Modified', () => {
  expect(freshnessHeaders({ 'last-modified': 'yesterday-ish' })['last-modified']).toBeUndefined();
  expect(freshnessHeaders({ 'last-modified': 'Mon, 30 Nov 2026 10:00:00 GMT' })['last-modified']).toBe('Mon, 30 Nov 2026 10:00:00 GMT');
});

test('should recognise strong and weak entity tags', () => {
  expect(isEntityTag('"abc"')).toBe(true);
  expect(isEntityTag('W/"abc"')).toBe(true);
  expect(isEntityTag('""')).toBe(true);
  expect(isEntityTag('"a"b"')).toBe(false);
  expect(isEntityTag('abc')).toBe(false);
});

test('should report the validators there are', () => {
  expect(validatorsOf({ etag: '"a"' })).toEqual({ etag: '"a"' });
  expect(hasValidators(validatorsOf({ 'last-modified': 'Mon, 30 Nov 2026 10:00:00 GMT' }))).toBe(true);
  expect(hasValidators(validatorsOf({ 'cache-control': 'no-cache' }))).toBe(false);
});
