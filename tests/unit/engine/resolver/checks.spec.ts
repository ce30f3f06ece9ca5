import { expect, test } from '@playwright/test';
import type { CachedResponse } from '../../../../src/core/meta.js';
import { DAY, HOUR, MINUTE, MUST_REVALIDATE, SECOND, answer, notModified, ok } from '../fakes.js';
import { Harness, RULE, servedOf } from '../harness.js';

// Checks with the origin through the walk: what each answer to a
// conditional request does to the tiers, the resolution and the counters.

const URL = 'https://app.test/main.dart.js';
const KEY = `GET ${URL}`;
const LAST_MODIFIED = 'Wed, 14 Jan 2026 12:00:00 GMT';
const HTTP_RULE = { ...RULE, revalidate: 'http' as const };

/** A Netlify-like copy of build `n` (checked at every use) kept in `tier`, stored a second before now. */
function stored(h: Harness, tier: 'memory' | 'disk' | 'remote', n = 1, headers: Record<string, string> = MUST_REVALIDATE): CachedResponse {
  const copy = h.keep(tier, h.entry(URL, ok(`build ${n}`, { ...headers, etag: `"b${n}"`, 'last-modified': LAST_MODIFIED }), h.clock.now - SECOND));
  return copy;
}

test.describe('a 304', () => {
  test('should put the refreshed meta into every tier and serve the same body, revalidated, from the tier the copy came from', async () => {
    const h = new Harness();
    const copy = stored(h, 'disk');
    h.origin.reply(notModified({ etag: '"b1"', 'cache-control': 'public, max-age=60' }));
    const served = servedOf(await h.resolve(URL));
    expect(served).toMatchObject({ source: 'disk', stored: false, revalidated: true });
    expect(served.response.body).toBe(copy.body);
    expect(served.response.meta).toMatchObject({
      sha256: copy.meta.sha256, storedAt: copy.meta.storedAt,
      expiresAt: new Date(h.clock.now + DAY).toISOString(),
      headers: { 'cache-control': 'public, max-age=60', etag: '"b1"' },
      freshness: { validatedAt: new Date(h.clock.now).toISOString(), freshUntil: new Date(h.clock.now + MINUTE).toISOString(), revalidations: 1 },
    });
    expect(h.origin.asks[0]!.headers).toMatchObject({ 'if-none-match': '"b1"', 'if-modified-since': LAST_MODIFIED });
    await h.settle();
    for (const tier of ['memory', 'disk', 'remote'] as const)
      expect(h.tier(tier).copies.get(KEY)?.meta, tier).toEqual(served.response.meta);
    // A copy the origin just confirmed was written again: that write is its use.
    expect(h.tier('disk').servedCopies).toEqual([]);
    expect(h.checks).toEqual({ revalidations: 1, revalidated: 1 });
    expect(h.reported).toEqual([]);
  });

  test('should say the copy came from the remote when only the remote had it, and fill the faster tiers with the refreshed meta', async () => {
    const h = new Harness();
    stored(h, 'remote');
    h.origin.reply(notModified({ etag: '"b1"' }));
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'remote', revalidated: true });
    await h.settle();
    for (const tier of ['memory', 'disk', 'remote'] as const)
      expect(h.tier(tier).copies.get(KEY)?.meta.freshness?.revalidations, tier).toBe(1);
  });

  test('should count the check as this run\'s: the next use is served without asking', async () => {
    const h = new Harness();
    stored(h, 'disk', 1, { 'cache-control': 'max-age=3600' });
    h.origin.reply(notModified({ etag: '"b1"' }));
    expect(servedOf(await h.resolve(URL))).toMatchObject({ revalidated: true });
    h.clock.advance(MINUTE);
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'memory', revalidated: false });
    expect(h.origin.asks).toHaveLength(1);
  });

  test('should still serve the confirmed copy when the store tier refuses the refreshed meta, keeping the stored one', async () => {
    const h = new Harness();
    const copy = stored(h, 'disk');
    h.tier('disk').refuse = true;
    h.origin.reply(notModified({ etag: '"b1"' }));
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'disk', revalidated: true });
    await h.settle();
    expect(h.tier('disk').copies.get(KEY)).toBe(copy);
    expect(h.tier('remote').puts).toEqual([]);
    expect(h.checks).toEqual({ revalidations: 1, revalidated: 1 });
  });

  test('should fetch the body whole when the 304 names another body', async () => {
    const h = new Harness();
    stored(h, 'disk');
    h.origin.reply(notModified({ etag: '"b2"' }), ok('build 2', { ...MUST_REVALIDATE, etag: '"b2"' }));
    const served = servedOf(await h.resolve(URL));
    expect(served).toMatchObject({ source: 'network', stored: true, revalidated: false });
    expect(served.response.body.toString()).toBe('build 2');
    expect(h.origin.asks.map(ask => ask.headers['if-none-match'])).toEqual(['"b1"', undefined]);
    expect(h.checks).toEqual({ revalidations: 1, revalidated: 0 });
  });
});

test.describe('the newest copy among the tiers', () => {
  for (const newer of ['memory', 'disk'] as const) {
    test(`should be the one checked, wherever it is (newer in ${newer})`, async () => {
      const h = new Harness();
      const older = newer === 'memory' ? 'disk' : 'memory';
      h.clock.advance(-HOUR);
      stored(h, older, 1);
      h.clock.advance(HOUR);
      stored(h, newer, 2);
      h.origin.reply(notModified({ etag: '"b2"' }));
      const served = servedOf(await h.resolve(URL));
      expect(served).toMatchObject({ source: newer, revalidated: true });
      expect(served.response.body.toString()).toBe('build 2');
      expect(h.origin.asks.map(ask => ask.headers['if-none-match'])).toEqual(['"b2"']);
    });
  }
});

test('should store a new body the check brings in every tier', async () => {
  const h = new Harness();
  stored(h, 'disk');
  h.origin.reply(ok('build 2', { ...MUST_REVALIDATE, etag: '"b2"' }));
  const served = servedOf(await h.resolve(URL));
  expect(served).toMatchObject({ source: 'network', stored: true, revalidated: false });
  await h.settle();
  for (const tier of ['memory', 'disk', 'remote'] as const)
    expect(h.tier(tier).copies.get(KEY)?.body.toString(), tier).toBe('build 2');
  expect(h.origin.asks[0]!.headers['if-none-match']).toBe('"b1"');
  expect(h.checks).toEqual({ revalidations: 1, revalidated: 0 });
});

test('should fetch whole, without a conditional request, a copy with nothing to check it with', async () => {
  const h = new Harness();
  const copy = h.keep('disk', h.entry(URL, ok('build 1', { 'cache-control': 'no-cache' }), h.clock.now - SECOND));
  h.origin.reply(ok('build 1', { 'cache-control': 'no-cache' }));
  expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'network', stored: true });
  expect(Object.keys(h.origin.asks[0]!.headers).filter(name => name.startsWith('if-'))).toEqual([]);
  expect(h.checks).toEqual({ revalidations: 0, revalidated: 0 });
  expect(h.tier('disk').copies.get(KEY)).not.toBe(copy);
});

test('should check even a versioned copy when the request asks for a fresh one', async () => {
  const h = new Harness();
  const versioned = 'https://app.test/main.dart.js?v=1';
  h.keep('disk', h.entry(versioned, ok('build 1', { etag: '"b1"', 'cache-control': 'max-age=31536000' }), h.clock.now - SECOND));
  h.origin.reply(notModified({ etag: '"b1"' }));
  expect(servedOf(await h.resolve(h.request(versioned, { wantsFresh: true })))).toMatchObject({ source: 'disk', revalidated: true });
  expect(servedOf(await h.resolve(versioned))).toMatchObject({ source: 'memory', revalidated: false });
  expect(h.origin.asks).toHaveLength(1);
});

test.describe('an origin that fails the check', () => {
  test('should serve the stored copy as its stale-if-error allows, report it, and never past maxAge', async () => {
    const h = new Harness();
    stored(h, 'disk', 1, { 'cache-control': 'max-age=60, stale-if-error=604800' });
    h.clock.advance(2 * MINUTE);
    h.origin.reply(answer(503, {}, 'busy'), answer(500, {}, 'broken'));
    const stale = servedOf(await h.resolve(h.request(URL, { rule: HTTP_RULE })));
    expect(stale).toMatchObject({ source: 'disk', revalidated: false, stored: false });
    expect(stale.response.body.toString()).toBe('build 1');
    expect(h.reported.map(error => [error.code, error.details])).toEqual([['ERR_REVALIDATE_FAILED', { url: URL, reason: 'status 503', status: 503, servedStale: true }]]);
    expect(h.reported[0]!.message).toBe(`Revalidating ${URL} with the origin failed (status 503); served the stored copy (stale-if-error).`);
    expect(h.tier('disk').puts).toEqual([]);

    h.clock.advance(DAY);
    h.tier('memory').copies.clear();
    const late = await h.resolve(h.request(URL, { rule: HTTP_RULE }));
    expect(late).toMatchObject({ kind: 'passed', status: 500, reason: 'status 500' });
    expect(h.reported[1]!.details).toMatchObject({ status: 500, servedStale: false });
    expect(h.checks).toEqual({ revalidations: 2, revalidated: 0 });
  });

  test('should pass the 5xx on by default, and serve the stored copy as long as the staleIfError option allows', async () => {
    const cases = [[false, 61, false], [10 * MINUTE, 61, true], [10 * MINUTE, 80, false], [DAY, 80, true]] as const;
    for (const [staleIfErrorMs, minutes, servedStale] of cases) {
      const h = new Harness({ staleIfErrorMs });
      // Fresh for an hour by its headers: at 61 min it is a minute stale, at 80 twenty.
      stored(h, 'disk', 1, { 'cache-control': 'max-age=3600' });
      h.clock.advance(minutes * MINUTE);
      h.origin.reply(answer(502, {}, 'bad gateway'));
      const resolution = await h.resolve(h.request(URL, { rule: HTTP_RULE }));
      const label = `staleIfError ${staleIfErrorMs}, ${minutes} min`;
      expect(resolution, label).toMatchObject(servedStale ? { kind: 'served', source: 'disk' } : { kind: 'passed', status: 502 });
      expect(h.reported.map(error => error.details.servedStale), label).toEqual([servedStale]);
    }
  });

  test('should pass the 5xx on for a must-revalidate copy, even with the staleIfError option', async () => {
    const h = new Harness({ staleIfErrorMs: DAY });
    const copy = stored(h, 'disk');
    h.origin.reply(answer(503, {}, 'busy'));
    expect(await h.resolve(URL)).toMatchObject({ kind: 'passed', status: 503, reason: 'status 503' });
    expect(h.reported.map(error => error.details)).toEqual([{ url: URL, reason: 'status 503', status: 503, servedStale: false }]);
    expect(h.reported[0]!.message).toContain("the page gets the origin's 503");
    await h.settle();
    expect(h.tier('disk').copies.get(KEY)).toBe(copy);
  });

  test('should leave a must-revalidate copy to the client after a network error, and serve a stale-if-error one', async () => {
    const h = new Harness({ staleIfErrorMs: DAY });
    stored(h, 'disk');
    h.origin.reply(new Error('read ECONNRESET'));
    expect(await h.resolve(URL)).toEqual({ kind: 'fallback', reason: 'read ECONNRESET' });
    expect(h.reported.map(error => error.details)).toEqual([{ url: URL, reason: 'read ECONNRESET', status: undefined, servedStale: false }]);
    expect(h.reported[0]!.message).toContain('the browser fetches it itself');

    const tolerant = new Harness();
    stored(tolerant, 'disk', 1, { 'cache-control': 'max-age=0, stale-if-error=600' });
    tolerant.origin.reply(new Error('read ECONNRESET'));
    expect(servedOf(await tolerant.resolve(URL))).toMatchObject({ source: 'disk', revalidated: false });
    expect(tolerant.reported.map(error => error.details.servedStale)).toEqual([true]);
  });

  test('should fall back silently for an early check, whatever failed, and keep the copy', async () => {
    for (const failure of [answer(503, {}, 'busy'), new Error('read ECONNRESET')]) {
      const h = new Harness();
      const copy = stored(h, 'disk', 1, { 'cache-control': 'max-age=0, stale-if-error=600' });
      h.origin.reply(failure);
      expect(await h.resolve(h.request(URL, { early: true }))).toEqual({ kind: 'fallback' });
      expect(h.reported).toEqual([]);
      expect(h.tier('disk').copies.get(KEY)).toBe(copy);
      expect(h.checks).toEqual({ revalidations: 1, revalidated: 0 });
    }
  });

  test('should pass on a 404 the check brings, and keep the stored copy', async () => {
    const h = new Harness();
    const copy = stored(h, 'disk');
    h.origin.reply(answer(404, {}, 'gone'));
    expect(await h.resolve(URL)).toMatchObject({ kind: 'passed', status: 404, reason: 'status 404' });
    await h.settle();
    expect(h.tier('disk').copies.get(KEY)).toBe(copy);
    expect(h.reported).toEqual([]);
  });
});
