import { test, expect } from '@playwright/test';
import { breakerOpenUntil, recentFailures, withFailure } from '../../../src/sessions/warmBreaker.js';
import { nextGeneration, rejectionDrops } from '../../../src/sessions/generation.js';
import type { SessionRecord } from '../../../src/sessions/sessionRecord.js';
import { describeResponse, isWatched, judge } from '../../../src/sessions/rejection.js';
import { inScope, scopeOf } from '../../../src/sessions/storageState.js';
import { cookie, payload } from './state.js';

function stored(generation: number, stateId: string | null): SessionRecord {
  return {
    name: 'alice', keyHash: 'a'.repeat(32), generation, failures: [], dropped: null,
    stored: stateId ? { stateId, storedAt: 0, expiresAt: 1, expiryReason: 'ttl', encrypted: false, payload: payload() } : null,
  };
}

test('should drop a rejected state only while it is still the one the context was given', () => {
  const ref = { generation: 2, stateId: 'aaaaaaaaaaaaaaaa' };
  expect(rejectionDrops(stored(2, 'aaaaaaaaaaaaaaaa'), ref)).toBe(true);
  // Another worker saw the same rejection first and warmed again: the newer state stays.
  expect(rejectionDrops(stored(3, 'bbbbbbbbbbbbbbbb'), ref)).toBe(false);
  // Already dropped.
  expect(rejectionDrops(stored(2, null), ref)).toBe(false);
  // The file was deleted and generations started again: the same number is another state.
  expect(rejectionDrops(stored(2, 'cccccccccccccccc'), ref)).toBe(false);
  expect(rejectionDrops(undefined, ref)).toBe(false);
});

test('should number generations on from whatever the file held', () => {
  expect(nextGeneration(undefined)).toBe(1);
  expect(nextGeneration(stored(4, null))).toBe(5);
  expect(nextGeneration(stored(4, 'aaaaaaaaaaaaaaaa'))).toBe(5);
});

test('should open the breaker at the limit within the window, and close it as failures age out', () => {
  const policy = { failures: 3, windowMs: 10 * 60_000 };
  const minute = 60_000;
  let failures: number[] = [];
  failures = withFailure(failures, 0, policy);
  failures = withFailure(failures, 2 * minute, policy);
  expect(breakerOpenUntil(failures, 2 * minute, policy)).toBeUndefined();
  failures = withFailure(failures, 5 * minute, policy);
  expect(breakerOpenUntil(failures, 5 * minute, policy)).toBe(10 * minute);
  expect(breakerOpenUntil(failures, 10 * minute - 1, policy)).toBe(10 * minute);
  expect(breakerOpenUntil(failures, 10 * minute, policy)).toBeUndefined();
  // Old failures are forgotten when a new one is written.
  expect(withFailure(failures, 13 * minute, policy)).toEqual([5 * minute, 13 * minute]);
  expect(recentFailures([1, 2, 3], 100, { failures: 1, windowMs: 98 })).toEqual([3]);
});

test('should watch only documents, fetch and XHR of the session\'s own origins and cookie hosts', () => {
  const scope = scopeOf(payload({ cookies: [cookie('sid', -1, '127.0.0.1'), cookie('cf', -1, '.example.com')] }, ['https://login.other.test']));
  expect(scope).toEqual({ cookieDomains: ['127.0.0.1', 'example.com'], origins: ['http://127.0.0.1:8080', 'https://login.other.test'] });
  expect(isWatched('fetch', 'http://127.0.0.1:9999/api/me', scope)).toBe(true);
  expect(isWatched('document', 'https://www.example.com/', scope)).toBe(true);
  expect(isWatched('xhr', 'https://example.com/x', scope)).toBe(true);
  expect(isWatched('document', 'https://login.other.test/form', scope)).toBe(true);
  expect(isWatched('image', 'http://127.0.0.1:8080/logo.png', scope)).toBe(false);
  expect(isWatched('script', 'http://127.0.0.1:8080/app.js', scope)).toBe(false);
  expect(isWatched('fetch', 'https://notexample.com/api', scope)).toBe(false);
  expect(isWatched('fetch', 'https://cdn.other.test/api', scope)).toBe(false);
  expect(inScope(scope, 'data:text/plain,x')).toBe(false);
  expect(inScope(scope, 'not a url')).toBe(false);
});

test('should reject on the rewarmOn statuses or predicate, and treat 429 as a call to back off', async () => {
  expect(await judge(452, [403, 452], {})).toBe('rejected');
  expect(await judge(403, [403, 452], {})).toBe('rejected');
  expect(await judge(401, [403, 452], {})).toBe('ignored');
  expect(await judge(200, [403, 452], {})).toBe('ignored');
  expect(await judge(429, [403, 452], {})).toBe('throttled');
  expect(await judge(429, [429], {})).toBe('rejected');
  const predicate = async (response: { body: string }) => response.body.includes('challenge');
  expect(await judge(200, predicate as never, { body: 'a challenge page' })).toBe('rejected');
  expect(await judge(429, predicate as never, { body: 'slow down' })).toBe('throttled');
});

test('should describe a response without its query string or fragment', () => {
  expect(describeResponse(452, 'http://127.0.0.1:8080/api/me?token=secret#frag')).toBe('status 452 from http://127.0.0.1:8080/api/me');
});
