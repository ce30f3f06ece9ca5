import { test, expect } from '@playwright/test';
import path from 'node:path';
import { entryPaths, hostDir, slug } from '../../../src/keys/entryPaths.js';
import { cacheKey, normalizeUrl } from '../../../src/keys/normalizeUrl.js';

const root = '/cache';
const pathsOf = (url: string) => entryPaths(root, cacheKey('GET', url), normalizeUrl(url));

test('should lay an entry out as v1/<host>/<slug>-<hash>', () => {
  const paths = pathsOf('http://127.0.0.1:8080/main.dart.js?v=3');
  expect(paths.stem).toMatch(/^v1\/127\.0\.0\.1_8080\/main\.dart\.js-[0-9a-f]{32}$/);
  expect(paths.body).toBe(path.join(root, paths.stem) + '.body');
  expect(paths.meta).toBe(path.join(root, paths.stem) + '.meta.json');
  expect(paths.lock).toBe(path.join(root, paths.stem) + '.lock');
});

test('should give different keys different files', () => {
  expect(pathsOf('https://h/main.dart.js?v=1').body).not.toBe(pathsOf('https://h/main.dart.js?v=2').body);
  expect(pathsOf('https://h/A.js').body).not.toBe(pathsOf('https://h/a.js').body);
});

const hostile = [
  'https://h/../../etc/passwd',
  'https://h/..%2f..%2fetc%2fpasswd',
  'https://h/%2e%2e/%2e%2e/x.js',
  'https://h/a\\..\\..\\b.js',
  'https://h/a%00b.js',
  'https://h/%0d%0a.js',
  `https://h/${'x'.repeat(10_000)}.js`,
  'https://h/CON',
  'https://h/nul.js',
  'https://h/.hidden.js',
  'https://h/caf\u00e9.js',
  'https://h/\u{1F600}.wasm',
  'http://[::1]:9000/a.js',
];

for (const url of hostile) {
  test(`should keep ${url.slice(0, 60)} under the root with short names`, () => {
    const paths = pathsOf(url);
    for (const file of [paths.body, paths.meta, paths.lock]) {
      expect(path.resolve(file).startsWith(root + path.sep)).toBe(true);
      for (const segment of path.relative(root, file).split(path.sep)) {
        expect(Buffer.byteLength(segment)).toBeLessThan(255);
        expect(segment).not.toMatch(/^\.\.?$/);
        expect(segment).toMatch(/^[A-Za-z0-9._-]+$/);
      }
    }
  });
}

test('should never name a file after a Windows device', () => {
  expect(slug(new URL('https://h/CON'))).toBe('_CON');
  expect(slug(new URL('https://h/nul.js'))).toBe('_nul.js');
  expect(hostDir(new URL('http://con/'))).toBe('_con');
});

test('should name the root path index', () => {
  expect(slug(new URL('https://h/'))).toBe('index');
});
