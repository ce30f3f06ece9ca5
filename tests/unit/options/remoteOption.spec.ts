import { test, expect } from '@playwright/test';
import { isBundleCacheError } from '../../../src/errors.js';
import { remoteOptionSchema, resolveRemote } from '../../../src/options/remoteOption.js';

const SECRET = 'x'.repeat(32);

function failure(value: unknown, env: NodeJS.ProcessEnv = {}): { message: string; option: unknown } {
  try {
    resolveRemote(value, env);
  } catch (error) {
    if (!isBundleCacheError(error, 'ERR_OPTIONS'))
      throw error;
    return { message: error.message, option: error.details.option };
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

test('should resolve each URL form with its defaults, and print it without its password', () => {
  expect(resolveRemote('redis://127.0.0.1:6379', {})).toEqual({
    kind: 'redis', url: 'redis://127.0.0.1:6379', location: 'redis://127.0.0.1:6379', readOnly: false, secret: undefined, timeoutMs: 2000, prefix: 'bundle-cache:',
  });
  expect(resolveRemote('rediss://ci:s3cret@cache.example:6380/3', {})).toMatchObject({ kind: 'redis', url: 'rediss://ci:s3cret@cache.example:6380/3', location: 'rediss://ci@cache.example:6380/3' });
  expect(resolveRemote('https://cache.example/bazel', {})).toMatchObject({ kind: 'http', url: 'https://cache.example/bazel/', prefix: '' });
  expect(resolveRemote('http://u:p%40ss@cache.example/a/b/', {})).toMatchObject({ url: 'http://u:p%40ss@cache.example/a/b/', location: 'http://u@cache.example/a/b/' });
});

test('should take the object form, with durations and a prefix', () => {
  expect(resolveRemote({ url: 'redis://h:1', readOnly: true, secret: SECRET, timeout: '5s', prefix: 'ci:' }, {})).toMatchObject({
    readOnly: true, secret: SECRET, timeoutMs: 5000, prefix: 'ci:',
  });
  expect(resolveRemote({ url: 'redis://h:1', timeout: 750 }, {})?.timeoutMs).toBe(750);
});

test('should read the environment: the option wins for the URL and the secret, either side makes it read-only', () => {
  const env = { BUNDLE_CACHE_REMOTE: 'redis://env-host:6379', BUNDLE_CACHE_REMOTE_SECRET: 'e'.repeat(40), BUNDLE_CACHE_REMOTE_READONLY: '1' };
  expect(resolveRemote(undefined, env)).toMatchObject({ url: 'redis://env-host:6379', secret: 'e'.repeat(40), readOnly: true });
  expect(resolveRemote({ url: 'redis://mine:1', secret: SECRET }, env)).toMatchObject({ url: 'redis://mine:1', secret: SECRET, readOnly: true });
  expect(resolveRemote({ url: 'redis://mine:1', readOnly: true }, { BUNDLE_CACHE_REMOTE_READONLY: '0' })?.readOnly).toBe(true);
  expect(resolveRemote(false, env)).toBeUndefined();
  expect(resolveRemote(undefined, {})).toBeUndefined();
  expect(resolveRemote(undefined, { BUNDLE_CACHE_REMOTE: '' })).toBeUndefined();
  for (const on of ['1', 'true', 'TRUE'])
    expect(resolveRemote('redis://h:1', { BUNDLE_CACHE_REMOTE_READONLY: on })?.readOnly, on).toBe(true);
  for (const off of ['', '0', 'false'])
    expect(resolveRemote('redis://h:1', { BUNDLE_CACHE_REMOTE_READONLY: off })?.readOnly, off).toBe(false);
  // Without a remote, its other variables are not looked at.
  expect(resolveRemote(undefined, { BUNDLE_CACHE_REMOTE_READONLY: 'yes', BUNDLE_CACHE_REMOTE_SECRET: 'short' })).toBeUndefined();
});

test('should name the option, the problem and the fix for a bad URL', () => {
  expect(failure('ftp://cache.example/')).toEqual({
    option: 'remote',
    message: 'Invalid bundle-cache option "remote": unknown scheme "ftp:" in "ftp://cache.example/": expected redis://host:6379, rediss://host:6380 or http(s)://host/prefix/. Fix this value where the options are given (BundleCache.open() or the bundleCache fixture option).',
  });
  expect(failure('cache.example:6379').message).toContain('unknown scheme "cache.example:"');
  expect(failure('not a url').message).toContain('malformed URL "not a url"');
  expect(failure({ url: 'redis://h:1/db' })).toMatchObject({ option: 'remote.url', message: expect.stringContaining('database number') });
  expect(failure('https://h/cache/?token=1').message).toContain('no query or fragment');
  expect(failure({ url: 42 }).message).toContain('expected a URL');
  expect(failure(42).message).toContain('expected a URL (redis://host:6379, rediss://host:6380 or http(s)://host/prefix/), { url, readOnly?, secret?, timeout?, prefix? } or false; got 42');
  const leaky = failure('redis://user:hunter2@[bad');
  expect(leaky.message).not.toContain('hunter2');
});

test('should refuse a short secret without printing it, from the option or the environment', () => {
  const fromOption = failure({ url: 'redis://h:1', secret: 'hunter2-short' });
  expect(fromOption.option).toBe('remote.secret');
  expect(fromOption.message).toBe('Invalid bundle-cache option "remote.secret": must be at least 32 characters (got 13); generate one with: openssl rand -base64 32. Fix this value where the options are given (BundleCache.open() or the bundleCache fixture option).');
  const fromEnv = failure('redis://h:1', { BUNDLE_CACHE_REMOTE_SECRET: 'hunter2-short' });
  expect(fromEnv).toEqual({
    option: 'BUNDLE_CACHE_REMOTE_SECRET',
    message: 'BUNDLE_CACHE_REMOTE_SECRET is 13 characters long; a secret must be at least 32. Fix: generate one with: openssl rand -base64 32, or unset it.',
  });
  expect(failure({ url: 'redis://h:1', secret: 12 }).message).not.toContain('12;');
});

test('should refuse a bad timeout, prefix, read-only switch or unknown key with a precise message', () => {
  for (const timeout of [0, -1, 'soon', '2 seconds', null])
    expect(failure({ url: 'redis://h:1', timeout }).option, String(timeout)).toBe('remote.timeout');
  expect(failure({ url: 'redis://h:1', timeout: 'soon' }).message).toContain('expected a duration greater than 0');
  expect(failure({ url: 'https://h/c/', prefix: 'x:' })).toMatchObject({ option: 'remote.prefix', message: expect.stringContaining('applies to Redis only') });
  expect(failure({ url: 'redis://h:1', prefix: 'has space' }).option).toBe('remote.prefix');
  expect(failure({ url: 'redis://h:1', readOnly: 'yes' }).message).toContain('expected true or false; got "yes"');
  expect(failure({ url: 'redis://h:1', readonly: true }).message).toBe('Unknown bundle-cache option "remote.readonly": did you mean "remote.readOnly"?');
  expect(failure({ url: 'redis://h:1', ttl: 1 }).message).toBe('Unknown bundle-cache option "remote.ttl": known options here: url, readOnly, secret, timeout, prefix.');
  expect(failure('redis://h:1', { BUNDLE_CACHE_REMOTE_READONLY: 'yes' })).toEqual({
    option: 'BUNDLE_CACHE_REMOTE_READONLY',
    message: 'BUNDLE_CACHE_REMOTE_READONLY="yes" is not a switch. Fix: set it to 1 or true (never write to the remote), 0 or false, or unset it.',
  });
  expect(failure(undefined, { BUNDLE_CACHE_REMOTE: 'memcached://h:1' })).toEqual({
    option: 'BUNDLE_CACHE_REMOTE',
    message: 'BUNDLE_CACHE_REMOTE="memcached://h:1" is not a remote: unknown scheme "memcached:" in "memcached://h:1": expected redis://host:6379, rediss://host:6380 or http(s)://host/prefix/. Fix: set it to redis://host:6379, rediss://host:6380 or http(s)://host/prefix/, or unset it.',
  });
});

test('should give a schema output that resolves like its input, so the options schema can hold it', () => {
  for (const input of ['http://h/c', { url: 'redis://h:1', timeout: '3s', prefix: 'p:' }, false]) {
    const parsed = remoteOptionSchema.parse(input);
    expect(resolveRemote(parsed, {})).toEqual(resolveRemote(input, {}));
  }
  const issue = remoteOptionSchema.safeParse({ url: 'redis://h:1', secret: 'short' }).error?.issues[0];
  expect(issue?.path).toEqual(['secret']);
});
