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

// JSON.stringify says null for NaN and ±Infinity, and throws on a bigint or a cycle: a message must show what was given.
const unrepresentable: Array<[options: unknown, option: string, shown: string]> = [
  [{ memory: { maxBytes: Number.NaN } }, 'memory.maxBytes', 'got NaN'],
  [{ memory: { maxBytes: Infinity } }, 'memory.maxBytes', 'got Infinity'],
  [{ disk: { maxBytes: -Infinity } }, 'disk.maxBytes', 'got -Infinity'],
  [{ disk: { maxBytes: 10n } }, 'disk.maxBytes', 'got 10n'],
  [{ maxAge: Number.NaN }, 'maxAge', 'got NaN'],
  [{ maxAge: Infinity }, 'maxAge', 'got Infinity'],
  [{ memory: { ttl: -Infinity } }, 'memory.ttl', 'got -Infinity'],
  [{ rules: [{ match: '**/*.js', maxAge: Number.NaN }] }, 'rules.0.maxAge', 'got NaN'],
  [{ rules: [Number.NaN] }, 'rules.0', 'got NaN'],
  [{ versioning: Number.NaN }, 'versioning', 'got NaN'],
  [{ mode: Infinity }, 'mode', 'got Infinity'],
  [{ serve: Number.NaN }, 'serve', 'got NaN'],
  [{ dir: Number.NaN }, 'dir', 'got NaN'],
  [{ now: Infinity }, 'now', 'got Infinity'],
  [{ memory: [Number.NaN, Infinity] }, 'memory', 'got [NaN,Infinity]'],
  [{ disk: undefined, memory: { ttl: undefined, maxBytes: { bytes: Number.NaN } } }, 'memory.maxBytes', 'got {"bytes":NaN}'],
];

for (const [options, option, shown] of unrepresentable) {
  test(`should show the value given for ${option} (${shown})`, () => {
    const error = optionsError(options);
    expect(error.details.option).toBe(option);
    expect(error.message).toContain(shown);
    expect(error.message).not.toContain('got null');
  });
}

test('should show a cyclic value without throwing', () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const error = optionsError({ maxAge: cyclic });
  expect(error.message).toContain('got {"self":[Circular]}');
});

test('should reject durations and sizes too large to use, saying the limit', () => {
  // 1e300 ms is a finite number, but no expiry Date can hold it: every store would throw.
  for (const maxAge of [1e300, '99999999999d', 36_500 * 86_400_000 + 1]) {
    const error = optionsError({ maxAge });
    expect(error.details.option).toBe('maxAge');
    expect(error.message).toContain("at most '36500d' (3153600000000 ms)");
  }
  expect(resolveOptions({ maxAge: '36500d' }, {}).maxAgeMs).toBe(36_500 * 86_400_000);
  const error = optionsError({ disk: { maxBytes: '9999999TB' } });
  expect(error.message).toContain(`at most ${Number.MAX_SAFE_INTEGER} bytes; got "9999999TB"`);
});
