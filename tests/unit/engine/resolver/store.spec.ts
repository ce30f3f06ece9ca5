import { expect, test } from '@playwright/test';
import { DAY, HOUR, answer, notModified, ok } from '../fakes.js';
import { Harness, servedOf } from '../harness.js';

// A miss: fetched once, kept in every tier, or passed on with the reason
// it may not be kept. Versioned URLs are stored immutable.

const URL = 'https://app.test/main.dart.js';
const KEY = `GET ${URL}`;

test('should fetch a miss once and keep it in every tier: store and mirror before answering, the shared tier beside it', async () => {
  const h = new Harness();
  h.origin.reply(ok('build 1', { etag: '"b1"' }));
  const letRemoteKeep = h.tier('remote').hold();
  const served = servedOf(await h.resolve(h.request(URL, { requestHeaders: { accept: '*/*', 'accept-encoding': 'gzip, br' } })));
  expect(served).toMatchObject({ source: 'network', stored: true, revalidated: false });
  expect(served.response.body.toString()).toBe('build 1');
  expect(served.response.meta).toMatchObject({ key: KEY, url: URL, status: 200, size: 7, version: null, rule: 'bundles' });
  // The way in's own URL, its headers, and an uncompressed body so that Content-Length proves the end.
  expect(h.origin.asks).toEqual([{ url: URL, own: true, headers: { 'accept': '*/*', 'accept-encoding': 'identity' } }]);
  expect(h.tier('disk').copies.get(KEY)).toBe(served.response);
  expect(h.tier('memory').copies.get(KEY)).toBe(served.response);
  expect(h.journal.indexOf('disk kept')).toBeLessThan(h.journal.indexOf('memory put'));
  expect(h.journal).toContain('remote put');
  expect(h.journal).not.toContain('remote kept');
  expect(h.journal).not.toContain('remote release');
  letRemoteKeep();
  await h.settle();
  expect(h.tier('remote').copies.get(KEY)).toBe(served.response);
  for (const tier of ['memory', 'disk', 'remote'] as const) {
    expect(h.journal.indexOf(`${tier} release`), tier).toBeGreaterThan(h.journal.indexOf(`${tier} kept`));
    expect(h.flight(tier).releases).toEqual([{ key: KEY, outcome: { kind: 'stored', response: served.response } }]);
  }
  expect(h.reported).toEqual([]);
});

test('should count what it stored as this run\'s check: the next request is served without asking', async () => {
  const h = new Harness();
  h.origin.reply(ok('build 1', { etag: '"b1"', 'cache-control': 'max-age=7200' }));
  servedOf(await h.resolve(URL));
  h.clock.advance(HOUR);
  // Mode 'run' checks each entry at its first use in a run, fresh by its headers or not: the fetch was that check.
  h.tier('memory').copies.clear();
  expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'disk' });
  expect(h.origin.asks).toHaveLength(1);
});

test('should pass the response on, kept nowhere, when the store tier refuses it', async () => {
  const h = new Harness();
  h.tier('disk').refuse = true;
  h.origin.reply(ok('build 1'));
  const resolution = await h.resolve(URL);
  expect(resolution).toMatchObject({ kind: 'passed', status: 200, reason: 'not kept by the disk tier', request: { key: KEY } });
  expect(resolution.kind === 'passed' && resolution.body.toString()).toBe('build 1');
  expect(resolution.kind === 'passed' && resolution.headers['content-length']).toBe('7');
  await h.settle();
  expect([h.tier('memory').puts, h.tier('remote').puts]).toEqual([[], []]);
  expect(h.tier('memory').copies.size).toBe(0);
});

const REFUSED: Array<[string, ReturnType<typeof answer>, string]> = [
  ['no-store', ok('secret', { 'cache-control': 'no-store' }), 'cache-control: no-store'],
  ['private', ok('secret', { 'cache-control': 'private, max-age=600' }), 'cache-control: private'],
  ['set-cookie', ok('secret', { 'set-cookie': 'session=abc' }), 'set-cookie'],
  ['404', answer(404, { 'content-type': 'text/html' }, 'not here'), 'status 404'],
  ['vary: *', ok('varies', { vary: '*' }), 'vary: *'],
  ['an end not proven', { status: 200, headers: { 'content-type': 'text/javascript' }, body: Buffer.from('cut?') }, 'end of body not proven: no Content-Length and not chunked: the body ended where the connection closed, which a reset looks like too'],
];

for (const [name, response, reason] of REFUSED) {
  test(`should pass on a response the store policy refuses (${name}), and ask again next time`, async () => {
    const h = new Harness();
    h.origin.reply(response, response);
    for (let time = 0; time < 2; time++) {
      const resolution = await h.resolve(URL);
      expect(resolution).toMatchObject({ kind: 'passed', status: response.status, reason });
      expect(resolution.kind === 'passed' && resolution.body.equals(response.body)).toBe(true);
    }
    await h.settle();
    expect(h.origin.asks).toHaveLength(2);
    expect([h.tier('memory').puts, h.tier('disk').puts, h.tier('remote').puts]).toEqual([[], [], []]);
    // Claims are released with the outcome, which in-process waiters do not share (see flights.spec.ts).
    expect(h.flight('disk').releases.map(release => release.outcome?.kind)).toEqual(['passed', 'passed']);
  });
}

test.describe('a versioned URL', () => {
  const VERSIONED = 'https://app.test/main.dart.js?v=42';
  const NO_CACHE = { etag: '"b42"', 'cache-control': 'no-cache' };

  test('should be stored immutable with its resource and version, and used without asking until maxAge', async () => {
    const h = new Harness();
    h.origin.reply(ok('build 42', NO_CACHE), notModified({ etag: '"b42"' }));
    const stored = servedOf(await h.resolve(VERSIONED)).response;
    expect(stored.meta).toMatchObject({ resource: URL, version: '42', freshness: { kind: 'immutable', revalidations: 0 } });
    // no-cache would have an unversioned entry checked at every use; a versioned one is not.
    h.clock.advance(23 * HOUR);
    expect(servedOf(await h.resolve(VERSIONED))).toMatchObject({ source: 'memory', revalidated: false });
    h.clock.advance(2 * HOUR);
    expect(servedOf(await h.resolve(VERSIONED))).toMatchObject({ source: 'remote', revalidated: true });
    expect(h.origin.asks.map(ask => ask.headers['if-none-match'])).toEqual([undefined, '"b42"']);
  });

  test('should still be immutable with versioning off, then without a version or a resource of its own', async () => {
    const h = new Harness({ versioning: false });
    h.origin.reply(ok('build 42', NO_CACHE));
    const stored = servedOf(await h.resolve(VERSIONED)).response;
    expect(stored.meta).toMatchObject({ resource: VERSIONED, version: null, freshness: { kind: 'immutable' } });
    expect(stored.meta.expiresAt).toBe(new Date(h.clock.now + DAY).toISOString());
  });

  test('should be checked by a request of its own unversioned neighbour: each key has its own entry', async () => {
    const h = new Harness();
    h.origin.reply(ok('build 42', NO_CACHE), ok('latest', NO_CACHE));
    servedOf(await h.resolve(VERSIONED));
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'network', stored: true });
    expect(h.tier('disk').copies.get(`GET ${VERSIONED}`)?.body.toString()).toBe('build 42');
    expect(h.tier('disk').copies.get(KEY)?.body.toString()).toBe('latest');
  });
});

test('should refetch whole in refresh mode what was stored before the refresh began, then use what it stored', async () => {
  const h = new Harness({ refreshSince: Date.UTC(2026, 0, 15, 12, 0, 0) });
  h.keep('disk', h.entry('https://app.test/main.dart.js?v=1', ok('old', { etag: '"old"' }), h.clock.now - HOUR));
  h.origin.reply(ok('new', { etag: '"new"' }));
  const refetched = servedOf(await h.resolve('https://app.test/main.dart.js?v=1'));
  expect(refetched).toMatchObject({ source: 'network', stored: true });
  // Whole: no validators sent.
  expect(h.origin.asks[0]!.headers['if-none-match']).toBeUndefined();
  expect(servedOf(await h.resolve('https://app.test/main.dart.js?v=1'))).toMatchObject({ source: 'memory' });
  expect(h.origin.asks).toHaveLength(1);
});

test('should tell of each response served without validators and without a version, except in mode never', async () => {
  const h = new Harness();
  h.origin.reply(ok('build 1'), ok('lib', { etag: '"l1"' }), ok('versioned'), ok('mine'));
  await h.resolve(URL);
  await h.resolve(URL);
  await h.resolve('https://app.test/lib.js');
  await h.resolve('https://app.test/main.3f9a1c2b.js');
  await h.resolve(h.request('https://app.test/never.js', { rule: { name: 'never', maxAgeMs: DAY, revalidate: 'never' } }));
  // Each serve is told; the cache says it once per URL per run.
  expect(h.unvalidated).toEqual([URL, URL]);
});
