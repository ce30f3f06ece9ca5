import { test, expect } from '@playwright/test';
import { expiredBy, expiryOf } from '../../../src/sessions/expiry.js';
import { cookie, state } from './state.js';

const HOUR = 3_600_000;
const storedAt = Date.UTC(2026, 10, 21, 12, 0, 0);

test('should expire after the ttl when no cookie expires sooner', () => {
  expect(expiryOf(state([]), storedAt, HOUR)).toEqual({ at: storedAt + HOUR, reason: 'ttl' });
  expect(expiryOf(state([cookie('late', (storedAt + 2 * HOUR) / 1000)]), storedAt, HOUR)).toEqual({ at: storedAt + HOUR, reason: 'ttl' });
});

test('should expire with the earliest cookie that expires before the ttl', () => {
  const cookies = [cookie('a', (storedAt + 40 * 60_000) / 1000), cookie('b', (storedAt + 10 * 60_000) / 1000 + 0.75), cookie('c', (storedAt + 30 * 60_000) / 1000)];
  expect(expiryOf(state(cookies), storedAt, HOUR)).toEqual({ at: storedAt + 10 * 60_000 + 750, reason: 'cookie "b"' });
});

test('should not count session cookies, nor cookies already expired when the state was captured', () => {
  const cookies = [cookie('session', -1), cookie('dead', (storedAt - 1000) / 1000)];
  expect(expiryOf(state(cookies), storedAt, HOUR)).toEqual({ at: storedAt + HOUR, reason: 'ttl' });
});

test('should apply the ttl as configured now to a state stored before', () => {
  const stored = { storedAt, expiresAt: storedAt + HOUR, expiryReason: 'ttl' };
  expect(expiredBy(stored, storedAt + HOUR - 1, HOUR)).toBeUndefined();
  expect(expiredBy(stored, storedAt + HOUR, HOUR)).toBe('ttl');
  expect(expiredBy(stored, storedAt + 20 * 60_000, 15 * 60_000)).toBe('ttl');
  const byCookie = { storedAt, expiresAt: storedAt + 10 * 60_000, expiryReason: 'cookie "sid"' };
  expect(expiredBy(byCookie, storedAt + 10 * 60_000, HOUR)).toBe('cookie "sid"');
  expect(expiredBy(byCookie, storedAt + 5 * 60_000, HOUR)).toBeUndefined();
});
