import { test, expect } from '@playwright/test';
import { cacheKey, normalizeUrl } from '../../../src/keys/normalizeUrl.js';

test.describe('normalizeUrl', () => {
  const same: Array<[string, string]> = [
    ['HTTPS://App.Example.COM/main.dart.js', 'https://app.example.com/main.dart.js'],
    ['https://app.example.com:443/main.dart.js', 'https://app.example.com/main.dart.js'],
    ['http://app.example.com:80/a.js', 'http://app.example.com/a.js'],
    ['https://app.example.com/main.dart.js#section', 'https://app.example.com/main.dart.js'],
    ['https://app.example.com/main.dart.js?', 'https://app.example.com/main.dart.js'],
    ['https://user:secret@app.example.com/a.js', 'https://app.example.com/a.js'],
    ['https://app.example.com/%61pp.js', 'https://app.example.com/app.js'],
    ['https://app.example.com/a%2fb.js', 'https://app.example.com/a%2Fb.js'],
    ['https://app.example.com/x/../a.js', 'https://app.example.com/a.js'],
    ['https://app.example.com/a.js?q=%7e', 'https://app.example.com/a.js?q=~'],
  ];
  for (const [input, expected] of same) {
    test(`should normalize ${input}`, () => {
      expect(normalizeUrl(input)).toBe(expected);
    });
  }

  test('should keep path case, query order and Unicode form apart', () => {
    const distinct = [
      'https://h/A.js', 'https://h/a.js',
      'https://h/a.js?x=1&y=2', 'https://h/a.js?y=2&x=1',
      'https://h/caf\u00e9.js', 'https://h/cafe\u0301.js',
    ].map(url => normalizeUrl(url));
    expect(new Set(distinct).size).toBe(distinct.length);
  });

  test('should throw on something that is not a URL', () => {
    expect(() => normalizeUrl('not a url')).toThrow();
  });
});

test('should key by method and normalized URL', () => {
  expect(cacheKey('get', 'HTTPS://H/a.js#x')).toBe('GET https://h/a.js');
});
