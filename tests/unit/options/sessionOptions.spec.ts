import { test, expect } from '@playwright/test';
import { BundleCacheError } from '../../../src/errors.js';
import { resolveOptions } from '../../../src/options/resolve.js';
import { resolveSessionCall } from '../../../src/options/sessionOptions.js';
import type { BundleCacheOptions } from '../../../src/types.js';

const warm = async () => {};
const KEY = 'x'.repeat(32);

function thrown(run: () => unknown): BundleCacheError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BundleCacheError);
    return error as BundleCacheError;
  }
  throw new Error('expected a BundleCacheError');
}

test('should apply the documented defaults to a session', () => {
  const { options } = resolveSessionCall('alice', { warm });
  expect(options).toEqual({ warm, ttlMs: 3_600_000, rewarmOn: [403, 452], breaker: { failures: 3, windowMs: 600_000 } });
  expect(resolveSessionCall('alice', { warm, ttl: '30m', rewarmOn: [403], breaker: { failures: 5, window: '1h' } }).options)
      .toEqual({ warm, ttlMs: 1_800_000, rewarmOn: [403], breaker: { failures: 5, windowMs: 3_600_000 } });
});

const badCalls: Array<[name: unknown, options: unknown, option: string, mentions: string]> = [
  ['', { warm }, 'session.name', 'non-empty'],
  [42, { warm }, 'session.name', 'non-empty'],
  ['a\nb', { warm }, 'session.name', 'control'],
  ['alice', {}, 'session.warm', 'expected a function'],
  ['alice', { warm: 'login' }, 'session.warm', 'expected a function'],
  ['alice', { warm, ttl: 0 }, 'session.ttl', 'greater than 0'],
  ['alice', { warm, ttl: 'an hour' }, 'session.ttl', "'1h'"],
  ['alice', { warm, rewarmOn: 452 }, 'session.rewarmOn', 'array of HTTP statuses'],
  ['alice', { warm, rewarmOn: [200] }, 'session.rewarmOn', '400 to 599'],
  ['alice', { warm, breaker: { failures: 0 } }, 'session.breaker.failures', 'whole number'],
  ['alice', { warm, breaker: { window: 'soon' } }, 'session.breaker.window', 'duration'],
  ['alice', { warm, breaker: { tries: 3 } }, 'session.breaker.tries', 'failures, window'],
  ['alice', { warm, TTL: '1h' }, 'session.TTL', 'did you mean "ttl"'],
  ['alice', 'login', 'session', 'expected { warm'],
  ['alice', { warm, ttl: Number.NaN }, 'session.ttl', 'got NaN'],
  ['alice', { warm, ttl: 1e20 }, 'session.ttl', "at most '36500d'"],
  ['alice', { warm, rewarmOn: [403, Number.NaN] }, 'session.rewarmOn', 'got [403,NaN]'],
  ['alice', { warm, breaker: { failures: Number.NaN } }, 'session.breaker.failures', 'got NaN'],
  ['alice', { Warm: warm }, 'session.Warm', 'did you mean "warm"'],
];

for (const [i, [name, options, option, mentions]] of badCalls.entries()) {
  test(`should reject a bad ${option} where the session is declared (case ${i + 1}: ${mentions})`, () => {
    const error = thrown(() => resolveSessionCall(name, options));
    expect(error.code).toBe('ERR_OPTIONS');
    expect(error.details.option).toBe(option);
    expect(error.message).toContain(mentions);
    expect(error.message).toMatch(/Fix/);
  });
}

test('should declare sessions and take the key from the sessions option', () => {
  const options = resolveOptions({ sessions: { key: KEY, alice: { warm, ttl: '2h' }, bob: { warm } } }, {});
  expect(options.sessions.key).toBe(KEY);
  expect([...options.sessions.declared.keys()]).toEqual(['alice', 'bob']);
  expect(options.sessions.declared.get('alice')?.ttlMs).toBe(7_200_000);
  expect(resolveOptions({}, {}).sessions).toEqual({ key: undefined, declared: new Map() });
});

test('should take the key from BUNDLE_CACHE_SESSION_KEY unless the option sets one', () => {
  expect(resolveOptions({}, { BUNDLE_CACHE_SESSION_KEY: KEY }).sessions.key).toBe(KEY);
  expect(resolveOptions({ sessions: { key: 'y'.repeat(40) } }, { BUNDLE_CACHE_SESSION_KEY: KEY }).sessions.key).toBe('y'.repeat(40));
});

test('should refuse a short key with the command that makes a good one, never printing the key', () => {
  const fromOption = thrown(() => resolveOptions({ sessions: { key: 'hunter2-short' } }, {}));
  expect(fromOption.details.option).toBe('sessions.key');
  expect(fromOption.message).toContain('openssl rand -base64 32');
  expect(fromOption.message).toContain('got 13 characters');
  expect(fromOption.message).not.toContain('hunter2');
  const fromEnv = thrown(() => resolveOptions({}, { BUNDLE_CACHE_SESSION_KEY: 'hunter2-short' }));
  expect(fromEnv.details.option).toBe('BUNDLE_CACHE_SESSION_KEY');
  expect(fromEnv.message).toContain('openssl rand -base64 32');
  expect(fromEnv.message).not.toContain('hunter2');
});

const badOptions: Array<[options: unknown, option: string, mentions: string]> = [
  [{ sessions: 'alice' }, 'sessions', 'expected { key?'],
  [{ sessions: { alice: { ttl: '1h' } } }, 'sessions.alice.warm', 'expected a function'],
  [{ sessions: { alice: { warm, ttl: 'later' } } }, 'sessions.alice.ttl', 'duration'],
  [{ sessions: { alice: 'secret' } }, 'sessions.alice', 'expected { warm'],
  [{ sessions: { key: 42 } }, 'sessions.key', 'at least 32 characters'],
  [{ sessions: { alice: { warm, TTL: '1h' } } }, 'sessions.alice.TTL', 'did you mean "ttl"'],
  [{ sessions: { 'a\nb': { warm } } }, 'sessions.a\nb', 'control characters'],
];

for (const [options, option, mentions] of badOptions) {
  test(`should reject the option ${option} at open()`, () => {
    const error = thrown(() => resolveOptions(options as BundleCacheOptions, {}));
    expect(error.code).toBe('ERR_OPTIONS');
    expect(error.details.option).toBe(option);
    expect(error.message).toContain(mentions);
  });
}

test('should show a value JSON cannot spell as it was given, at open() as in cache.session()', () => {
  const atOpen = thrown(() => resolveOptions({ sessions: { alice: { warm, ttl: Number.NaN } } }, {}));
  expect(atOpen.details.option).toBe('sessions.alice.ttl');
  expect(atOpen.message).toContain("expected a duration greater than 0: milliseconds or a string like '30m', '1h', '7d'; got NaN.");
  const inCall = thrown(() => resolveSessionCall('alice', { warm, breaker: { window: Number.POSITIVE_INFINITY } }));
  expect(inCall.details.option).toBe('session.breaker.window');
  expect(inCall.message).toContain("expected a duration greater than 0 like '10m'; got Infinity.");
});
