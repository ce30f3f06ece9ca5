import { test, expect } from '@playwright/test';
import path from 'node:path';
import { resolveOptions } from '../../../src/options/resolve.js';
import { BundleCacheError } from '../../../src/errors.js';
import type { BundleCacheOptions } from '../../../src/types.js';

function optionsError(options: unknown, env: NodeJS.ProcessEnv = {}): BundleCacheError {
  try {
    resolveOptions(options as BundleCacheOptions, env);
  } catch (error) {
    expect(error).toBeInstanceOf(BundleCacheError);
    return error as BundleCacheError;
  }
  throw new Error('expected resolveOptions to throw');
}

test('should apply the documented defaults', () => {
  const options = resolveOptions(undefined, {});
  expect(options.dir).toBe(path.resolve('./cache'));
  expect(options.maxAgeMs).toBe(24 * 3600_000);
  expect(options.memory).toEqual({ maxBytes: 100 * 1024 ** 2, ttlMs: 5 * 60_000 });
  expect(options.disk).toEqual({ maxBytes: 1024 ** 3 });
  expect(options.versioning).toBe(true);
  expect(options.mode).toBe('default');
  expect(options.rules.map(rule => rule.name)).toEqual(['flutter-main', 'flutter-renderer', 'wasm', 'versioned-asset']);
  expect(options.rules.every(rule => rule.maxAgeMs === options.maxAgeMs)).toBe(true);
});

test('should take the dir and mode from the environment when not given', () => {
  const options = resolveOptions({}, { BUNDLE_CACHE_DIR: '/tmp/from-env', BUNDLE_CACHE_MODE: 'offline' });
  expect(options.dir).toBe('/tmp/from-env');
  expect(options.mode).toBe('offline');
  expect(resolveOptions({ dir: '/tmp/explicit', mode: 'refresh' }, { BUNDLE_CACHE_DIR: '/tmp/from-env', BUNDLE_CACHE_MODE: 'offline' })).toMatchObject({ dir: '/tmp/explicit', mode: 'refresh' });
});

test('should resolve durations, sizes and per-rule maxAge', () => {
  const options = resolveOptions({ maxAge: '2h', memory: { maxBytes: '50MB', ttl: 1000 }, disk: { maxBytes: 10_000 }, rules: ['**/*.js', { match: /\.wasm$/, maxAge: '10m', name: 'wasm' }] }, {});
  expect(options.memory).toEqual({ maxBytes: 50 * 1024 ** 2, ttlMs: 1000 });
  expect(options.disk.maxBytes).toBe(10_000);
  expect(options.rules.map(rule => [rule.name, rule.maxAgeMs])).toEqual([['**/*.js', 7_200_000], ['wasm', 600_000]]);
});

const invalid: Array<[options: unknown, option: string, mentions: string]> = [
  [{ maxAge: 'forever' }, 'maxAge', "'24h'"],
  [{ maxAge: -5 }, 'maxAge', 'duration'],
  [{ memory: { maxBytes: 'huge' } }, 'memory.maxBytes', "'100MB'"],
  [{ memory: { ttl: {} } }, 'memory.ttl', 'duration'],
  [{ disk: 5 }, 'disk', 'maxBytes'],
  [{ mode: 'offlin' }, 'mode', "'offline'"],
  [{ versioning: 'yes' }, 'versioning', 'true or false'],
  [{ dir: '' }, 'dir', 'empty'],
  [{ dir: 42 }, 'dir', 'path'],
  [{ rules: '**/*.js' }, 'rules', 'array'],
  [{ rules: [42] }, 'rules.0', 'glob'],
  [{ rules: [{ match: '**/*.{js' }] }, 'rules.0', 'unclosed'],
  [{ rules: [{ match: '**/*.js', maxAge: 'soon' }] }, 'rules.0.maxAge', 'duration'],
  [{ maxage: '1h' }, 'maxage', 'did you mean "maxAge"'],
  [{ memory: { max: 1 } }, 'memory.max', 'maxBytes'],
  ['./cache', 'options', 'object'],
];

for (const [options, option, mentions] of invalid) {
  test(`should reject ${JSON.stringify(options)} naming ${option}`, () => {
    const error = optionsError(options);
    expect(error.code).toBe('ERR_OPTIONS');
    expect(error.details.option).toBe(option);
    expect(error.message).toContain(`"${option}"`);
    expect(error.message).toContain(mentions);
  });
}

test('should reject a bad BUNDLE_CACHE_MODE naming the variable', () => {
  const error = optionsError({}, { BUNDLE_CACHE_MODE: 'fast' });
  expect(error.code).toBe('ERR_OPTIONS');
  expect(error.message).toContain('BUNDLE_CACHE_MODE');
  expect(error.message).toContain('default, refresh, offline, off');
});
