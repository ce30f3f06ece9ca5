import { expect, test } from '@playwright/test';
import { DAY, HOUR, MUST_REVALIDATE, ok } from '../fakes.js';
import { Harness, servedOf } from '../harness.js';

// An origin that fails or goes away, and offline mode: never past the local
// tiers, never a claim for the origin.

const URL = 'https://app.test/main.dart.js';
const KEY = `GET ${URL}`;

test('should fall back to the client with the fetch\'s reason, and report ERR_FETCH_FAILED, when the origin cannot be reached', async () => {
  const h = new Harness();
  h.origin.reply(new Error('getaddrinfo ENOTFOUND app.test\n    at a stack line'));
  expect(await h.resolve(URL)).toEqual({ kind: 'fallback', reason: 'getaddrinfo ENOTFOUND app.test' });
  expect(h.reported).toHaveLength(1);
  expect(h.reported[0]).toMatchObject({ code: 'ERR_FETCH_FAILED', details: { url: URL } });
  expect(h.reported[0]!.message).toBe(`Fetching ${URL} failed (getaddrinfo ENOTFOUND app.test); the browser fetches it itself.`);
  await h.settle();
  expect([h.tier('memory').puts, h.tier('disk').puts, h.tier('remote').puts]).toEqual([[], [], []]);
  expect(h.flight('disk').releases).toEqual([{ key: KEY, outcome: { kind: 'fallback', reason: 'getaddrinfo ENOTFOUND app.test' } }]);
});

test('should end as closed, reporting nothing, when the page went away during the fetch', async () => {
  const h = new Harness();
  h.origin.reply(new Error('route.fetch: Target page, context or browser has been closed'));
  expect(await h.resolve(URL)).toEqual({ kind: 'closed' });
  expect(h.reported).toEqual([]);
  await h.settle();
  expect(h.flight('memory').releases).toEqual([{ key: KEY, outcome: { kind: 'closed' } }]);
});

test('should end as closed when the page went away during a check, and keep the stored copy', async () => {
  const h = new Harness();
  const copy = h.keep('disk', h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' })));
  h.clock.advance(1000);
  h.origin.reply(new Error('Request context disposed.'));
  expect(await h.resolve(URL)).toEqual({ kind: 'closed' });
  expect(h.reported).toEqual([]);
  expect(h.tier('disk').copies.get(KEY)).toBe(copy);
  expect(h.checks).toEqual({ revalidations: 1, revalidated: 0 });
});

test.describe('offline', () => {
  test('should serve a stored copy within maxAge without asking, however stale and whatever the request asks', async () => {
    const h = new Harness({ mode: 'offline', tiers: ['memory', 'disk'] });
    const copy = h.keep('disk', h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' })));
    h.clock.advance(23 * HOUR);
    const served = servedOf(await h.resolve(h.request(URL, { wantsFresh: true })));
    expect(served).toMatchObject({ source: 'disk', revalidated: false, stored: false });
    expect(served.response).toBe(copy);
    expect(h.origin.asks).toEqual([]);
    expect(h.checks).toEqual({ revalidations: 0, revalidated: 0 });
  });

  test('should fail a copy past maxAge, and a miss, with ERR_OFFLINE_MISS and the fix, claiming nothing past the last tier', async () => {
    const h = new Harness({ mode: 'offline', tiers: ['memory', 'disk'] });
    h.keep('disk', h.entry(URL, ok('build 1', { etag: '"b1"' })));
    h.clock.advance(DAY + 1);
    const other = 'https://app.test/canvaskit/canvaskit.wasm';
    for (const url of [URL, other]) {
      const resolution = await h.resolve(url);
      expect(resolution.kind).toBe('offline');
      const error = resolution.kind === 'offline' ? resolution.error : undefined;
      expect(error).toMatchObject({ code: 'ERR_OFFLINE_MISS', details: { url, dir: '/srv/cache' } });
      expect(error!.message).toContain(`${url} is not in the cache at /srv/cache`);
      expect(error!.message).toContain(`npx bundle-cache warm ${url}`);
    }
    expect(h.origin.asks).toEqual([]);
    // The in-process claim is taken (requests of this process still share a walk); the disk's lock is not.
    expect(h.flight('memory').claims).toEqual([KEY, `GET ${other}`]);
    expect(h.flight('disk').claims).toEqual([]);
  });
});
