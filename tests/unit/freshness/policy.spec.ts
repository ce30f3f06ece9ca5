import { expect, test } from '@playwright/test';
import { freshnessHeaders } from '../../../src/freshness/originHeaders.js';
import { notModifiedMatches, originFreshness, requestWantsFresh, staleIfErrorAllows } from '../../../src/freshness/policy.js';

const T = Date.parse('2026-12-01T10:00:00Z');
const date = (ms: number) => new Date(ms).toUTCString();
const S = 1000;
const DAY = 86_400 * S;

/** Origin headers as real hosts send them, and what the cache must make of them. */
const cases: Array<{ name: string; headers: Record<string, string>; lifetimeMs: number; immutable?: boolean; forbidsStale?: boolean }> = [
  { name: 'Netlify / Vercel: public, max-age=0, must-revalidate', headers: { 'cache-control': 'public, max-age=0, must-revalidate', etag: '"a1"' }, lifetimeMs: 0, forbidsStale: true },
  { name: 'GitHub Pages: max-age=600 with Expires', headers: { 'cache-control': 'max-age=600', expires: date(T + 600 * S), 'last-modified': date(T - DAY), etag: '"a1"' }, lifetimeMs: 600 * S },
  { name: 'Firebase Hosting: max-age=3600', headers: { 'cache-control': 'max-age=3600', etag: '"a1"' }, lifetimeMs: 3600 * S },
  { name: 'nginx: no Cache-Control, heuristic 10 % of the Last-Modified age', headers: { 'last-modified': date(T - 10 * DAY), etag: '"5f3a-1c"' }, lifetimeMs: DAY },
  { name: 'no validators, no Cache-Control', headers: {}, lifetimeMs: 0 },
  { name: 'no-cache', headers: { 'cache-control': 'no-cache', etag: '"a1"' }, lifetimeMs: 0, forbidsStale: true },
  { name: 'Pragma: no-cache without Cache-Control', headers: { pragma: 'no-cache' }, lifetimeMs: 0, forbidsStale: true },
  { name: 'max-age minus the Age the response already had', headers: { 'cache-control': 'max-age=600', age: '100' }, lifetimeMs: 500 * S },
  { name: 'Expires counted from the origin\'s Date', headers: { expires: date(T + 3600 * S), date: date(T) }, lifetimeMs: 3600 * S },
  { name: 'an invalid Expires is already expired', headers: { expires: '0' }, lifetimeMs: 0 },
  { name: 'max-age wins over Expires', headers: { 'cache-control': 'max-age=60', expires: date(T + 3600 * S) }, lifetimeMs: 60 * S },
  { name: 's-maxage wins over max-age in a shared cache, and forbids stale use', headers: { 'cache-control': 'max-age=600, s-maxage=60' }, lifetimeMs: 60 * S, forbidsStale: true },
  { name: 'max-age=-1 is stale', headers: { 'cache-control': 'max-age=-1' }, lifetimeMs: 0 },
  { name: 'max-age=99999999999 is capped at ten years', headers: { 'cache-control': 'max-age=99999999999' }, lifetimeMs: 3650 * DAY },
  { name: 'immutable with a max-age', headers: { 'cache-control': 'public, max-age=31536000, immutable' }, lifetimeMs: 31_536_000 * S, immutable: true },
  { name: 'two Cache-Control lines that disagree: no-cache is kept', headers: { 'cache-control': 'max-age=600\nno-cache' }, lifetimeMs: 0, forbidsStale: true },
];

test.describe('originFreshness', () => {
  for (const { name, headers, lifetimeMs, immutable = false, forbidsStale = false } of cases) {
    test(`should judge ${name}`, () => {
      const judged = originFreshness(200, freshnessHeaders({ date: date(T), ...headers }), T);
      expect(judged.freshUntil - T).toBe(lifetimeMs);
      expect(judged.immutable).toBe(immutable);
      expect(judged.forbidsStale).toBe(forbidsStale);
    });
  }

  test('should not depend on the wall clock, only on the time received', () => {
    const headers = { date: date(T), 'cache-control': 'max-age=600' };
    expect(originFreshness(200, headers, T).freshUntil).toBe(T + 600 * S);
    expect(originFreshness(200, headers, T + DAY).freshUntil).toBe(T + DAY + 600 * S);
  });
});

test.describe('staleIfErrorAllows', () => {
  const headers = { date: date(T), 'cache-control': 'max-age=60, stale-if-error=600' };

  test('should allow a stale copy within stale-if-error for a 5xx and a network error', () => {
    expect(staleIfErrorAllows(200, headers, T, T + 120 * S, 503)).toBe(true);
    expect(staleIfErrorAllows(200, headers, T, T + 120 * S, undefined)).toBe(true);
  });

  test('should refuse it past stale-if-error, for a status that is no error, and without the directive', () => {
    expect(staleIfErrorAllows(200, headers, T, T + 700 * S, 503)).toBe(false);
    expect(staleIfErrorAllows(200, headers, T, T + 120 * S, 404)).toBe(false);
    expect(staleIfErrorAllows(200, { date: date(T), 'cache-control': 'max-age=60' }, T, T + 120 * S, 503)).toBe(false);
    expect(staleIfErrorAllows(200, { date: date(T), 'cache-control': 'max-age=60' }, T, T + 120 * S, undefined)).toBe(false);
  });
});

test.describe('notModifiedMatches', () => {
  test('should select the stored body for the same strong or weak ETag', () => {
    expect(notModifiedMatches(200, { etag: '"a1"' }, { etag: '"a1"' }, T)).toBe(true);
    expect(notModifiedMatches(200, { etag: 'W/"a1"' }, { etag: 'W/"a1"' }, T)).toBe(true);
  });

  test('should not select it for another ETag or another Last-Modified', () => {
    expect(notModifiedMatches(200, { etag: '"a1"' }, { etag: '"b2"' }, T)).toBe(false);
    expect(notModifiedMatches(200, { 'last-modified': date(T - DAY) }, { 'last-modified': date(T) }, T)).toBe(false);
  });

  test('should select it by Last-Modified when there is no ETag', () => {
    expect(notModifiedMatches(200, { 'last-modified': date(T - DAY) }, { 'last-modified': date(T - DAY) }, T)).toBe(true);
  });
});

test.describe('requestWantsFresh', () => {
  test('should see no-cache, max-age=0 and Pragma: no-cache', () => {
    expect(requestWantsFresh({ 'cache-control': 'no-cache' })).toBe(true);
    expect(requestWantsFresh({ 'cache-control': 'max-age=0' })).toBe(true);
    expect(requestWantsFresh({ pragma: 'no-cache' })).toBe(true);
  });

  test('should leave ordinary requests alone', () => {
    expect(requestWantsFresh({})).toBe(false);
    expect(requestWantsFresh({ 'cache-control': 'max-age=600' })).toBe(false);
    expect(requestWantsFresh({ accept: '*/*' })).toBe(false);
  });
});
