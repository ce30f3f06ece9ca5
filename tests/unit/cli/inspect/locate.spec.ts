import { test, expect } from '@playwright/test';
import path from 'node:path';
import { locate } from '../../../../src/cli/inspect/locate.js';
import { entryPaths } from '../../../../src/keys/entryPaths.js';

const dir = path.resolve('/srv/cache');
const url = 'https://app.example.com/main.dart.js?v=2';
const paths = entryPaths(dir, `GET ${url}`, url);

test('should read a URL, normalized as the cache keys it', () => {
  expect(locate(dir, url, '/')).toEqual({ stem: paths.stem, base: paths.base, as: 'url' });
  expect(locate(dir, 'https://user:pw@APP.example.com:443/main.dart.js?v=2#x', '/')?.stem).toBe(paths.stem);
});

test('should read a cache key', () => {
  expect(locate(dir, `GET ${url}`, '/')).toEqual({ stem: paths.stem, base: paths.base, as: 'key' });
});

test('should read any file of the entry, absolute or relative to the cache dir', () => {
  for (const file of [paths.body, paths.meta, paths.lock, `${paths.body}.12345`, `${paths.body}.prev`, `${paths.meta}.77`])
    expect(locate(dir, file, '/')).toEqual({ stem: paths.stem, base: paths.base, as: 'file' });
  expect(locate(dir, `${paths.stem}.body`, '/elsewhere')?.stem).toBe(paths.stem);
});

test('should refuse paths outside the cache\'s entries', () => {
  expect(locate(dir, '/etc/passwd', '/')).toBeUndefined();
  expect(locate(dir, path.join(dir, 'v1', '..', '..', 'x.body'), '/')).toBeUndefined();
  expect(locate(dir, path.join(dir, 'cache_versions.json'), '/')).toBeUndefined();
  expect(locate(dir, 'main.dart.js', '/')).toBeUndefined();
});
