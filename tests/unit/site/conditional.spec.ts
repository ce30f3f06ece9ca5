import { expect, test } from '@playwright/test';
import { isNotModified, notModifiedHeaders, opaqueTag, parseEntityTagList } from '../../site/conditional.js';
import { formatHttpDate, parseHttpDate } from '../../site/httpDate.js';

test.describe('HTTP dates', () => {
  const sunday = Date.UTC(1994, 10, 6, 8, 49, 37);

  test('should format IMF-fixdate', () => {
    expect(formatHttpDate(sunday)).toBe('Sun, 06 Nov 1994 08:49:37 GMT');
  });

  test('should parse the three forms RFC 9110 requires recipients to accept', () => {
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(sunday);
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(sunday);
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(sunday);
    expect(parseHttpDate('Thursday, 01-Jan-26 00:00:00 GMT')).toBe(Date.UTC(2026, 0, 1));
  });

  test('should reject what Date.parse would accept but HTTP does not', () => {
    for (const invalid of ['2024', 'yesterday', '2024-01-01T00:00:00Z', 'Sun, 06 Nov 1994 08:49:37 UTC', 'Sun, 31 Feb 1994 08:49:37 GMT',
      'Sun, 06 Nov 1994 25:49:37 GMT', 'Sun, 6 Nov 1994 08:49:37 GMT', '', 'Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT'])
      expect(parseHttpDate(invalid), invalid).toBeUndefined();
    expect(parseHttpDate(undefined)).toBeUndefined();
  });
});

test.describe('entity-tag lists', () => {
  test('should parse strong, weak and wildcard members', () => {
    expect(parseEntityTagList('"a", W/"b",  "c"')).toEqual({ any: false, tags: ['"a"', '"b"', '"c"'] });
    expect(parseEntityTagList('*')).toEqual({ any: true, tags: [] });
    expect(parseEntityTagList(' "" ')).toEqual({ any: false, tags: ['""'] });
  });

  test('should skip malformed members without losing the others', () => {
    expect(parseEntityTagList('abc, "ok", w/"lower", "x"y, W/ "space", "last"')).toEqual({ any: false, tags: ['"ok"', '"last"'] });
    expect(parseEntityTagList('"a", "unterminated')).toEqual({ any: false, tags: ['"a"'] });
    expect(parseEntityTagList('**, "a"')).toEqual({ any: false, tags: ['"a"'] });
  });

  test('should parse a 100 KB tag', () => {
    const tag = `"${'e'.repeat(100 * 1024)}"`;
    expect(parseEntityTagList(`W/${tag}`).tags).toEqual([tag]);
  });

  test('should take the opaque tag of one ETag value', () => {
    expect(opaqueTag('"x"')).toBe('"x"');
    expect(opaqueTag('W/"x"')).toBe('"x"');
    expect(opaqueTag('x')).toBeUndefined();
    expect(opaqueTag('"x", "y"')).toBeUndefined();
  });
});

test.describe('isNotModified', () => {
  const lastModified = 'Wed, 15 Jan 2025 12:00:00 GMT';
  const response = { 'etag': '"v1"', 'last-modified': lastModified };
  const cases: Array<[string, Record<string, string>, Record<string, string | string[]>, boolean]> = [
    ['a matching strong tag', { 'if-none-match': '"v1"' }, response, true],
    ['a weak request tag (weak comparison)', { 'if-none-match': 'W/"v1"' }, response, true],
    ['a weak response tag', { 'if-none-match': '"v1"' }, { etag: 'W/"v1"' }, true],
    ['a list with the tag', { 'if-none-match': '"v0", "v1"' }, response, true],
    ['another tag', { 'if-none-match': '"v0"' }, response, false],
    ['* on an existing representation', { 'if-none-match': '*' }, {}, true],
    ['a tag when the response has none', { 'if-none-match': '"v1"' }, { 'last-modified': lastModified }, false],
    ['If-None-Match wins over a matching If-Modified-Since', { 'if-none-match': '"v0"', 'if-modified-since': lastModified }, response, false],
    ['an unparsable If-None-Match still disables If-Modified-Since', { 'if-none-match': 'garbage', 'if-modified-since': lastModified }, response, false],
    ['If-Modified-Since equal to Last-Modified', { 'if-modified-since': lastModified }, response, true],
    ['If-Modified-Since after Last-Modified', { 'if-modified-since': 'Wed, 15 Jan 2025 12:00:01 GMT' }, response, true],
    ['If-Modified-Since before Last-Modified', { 'if-modified-since': 'Wed, 15 Jan 2025 11:59:59 GMT' }, response, false],
    ['an invalid If-Modified-Since', { 'if-modified-since': '2030' }, response, false],
    ['an invalid Last-Modified', { 'if-modified-since': lastModified }, { 'last-modified': 'not a date' }, false],
    ['two Last-Modified lines', { 'if-modified-since': lastModified }, { 'last-modified': [lastModified, lastModified] }, false],
    ['any of two ETag lines', { 'if-none-match': '"b"' }, { etag: ['"a"', '"b"'] }, true],
    ['no validators at all', {}, response, false],
  ];
  for (const [name, request, headers, expected] of cases) {
    test(`should answer ${expected ? '304' : '200'} for ${name}`, () => {
      expect(isNotModified('GET', request, headers)).toBe(expected);
    });
  }

  test('should apply to HEAD and to no other method', () => {
    expect(isNotModified('HEAD', { 'if-none-match': '"v1"' }, response)).toBe(true);
    expect(isNotModified('POST', { 'if-none-match': '"v1"' }, response)).toBe(false);
  });

  test('should keep on a 304 only what refreshes a cached response', () => {
    expect(notModifiedHeaders({
      'content-type': 'text/javascript', 'content-length': '9', 'content-encoding': 'gzip', 'cache-control': 'max-age=600',
      'etag': '"a"', 'last-modified': lastModified, 'expires': lastModified, 'date': lastModified, 'vary': 'accept-encoding',
      'access-control-allow-origin': '*', 'set-cookie': 'a=1', 'x-content-type-options': 'nosniff',
    })).toEqual({
      'cache-control': 'max-age=600', 'etag': '"a"', 'last-modified': lastModified, 'expires': lastModified, 'date': lastModified,
      'vary': 'accept-encoding', 'access-control-allow-origin': '*',
    });
  });
});
