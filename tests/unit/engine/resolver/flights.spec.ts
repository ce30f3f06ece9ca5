import { expect, test } from '@playwright/test';
import { Deferred, MUST_REVALIDATE, SECOND, answer, notModified, ok } from '../fakes.js';
import { Harness, servedOf } from '../harness.js';
import type { CachedResponse } from '../../../../src/core/meta.js';

// Single flight: in process (the real ProcessFlight), and the three answers
// a claim can give (scripted): lead, joined, alone. Claims last until their
// tier holds what the walk got.

const URL = 'https://app.test/main.dart.js';
const HOUR = 3_600_000;

/** `entry` as another machine would have checked it. */
function byMachine(entry: CachedResponse, host: string): CachedResponse {
  return { body: entry.body, meta: { ...entry.meta, freshness: { ...entry.meta.freshness!, validatedBy: host } } };
}
const KEY = `GET ${URL}`;

test.describe('in process', () => {
  test('should give requests that arrive while one fetches the leader\'s outcome, counted as memory, with one fetch', async () => {
    const h = new Harness({ processFlight: true });
    const body = new Deferred<ReturnType<typeof ok>>();
    h.origin.reply(() => body.promise);
    const requests = [h.resolve(URL), h.resolve(URL), h.resolve(URL)];
    await h.origin.asked(1);
    body.resolve(ok('build 1'));
    const [leader, ...joiners] = (await Promise.all(requests)).map(servedOf);
    expect(leader).toMatchObject({ source: 'network', stored: true });
    for (const joiner of joiners) {
      expect(joiner).toMatchObject({ source: 'memory', stored: false, revalidated: false });
      expect(joiner.response).toBe(leader!.response);
    }
    expect(h.origin.asks).toHaveLength(1);
    expect(h.flight('disk').claims).toEqual([KEY]);
  });

  test('should share a failed fetch with those who joined it: one fetch, one report', async () => {
    const h = new Harness({ processFlight: true });
    const failure = new Deferred<never>();
    h.origin.reply(() => failure.promise);
    const requests = [h.resolve(URL), h.resolve(URL)];
    await h.origin.asked(1);
    failure.reject(new Error('connect ECONNREFUSED 127.0.0.1:9'));
    expect(await Promise.all(requests)).toEqual([
      { kind: 'fallback', reason: 'connect ECONNREFUSED 127.0.0.1:9' },
      { kind: 'fallback', reason: 'connect ECONNREFUSED 127.0.0.1:9' },
    ]);
    expect(h.reported.map(error => error.code)).toEqual(['ERR_FETCH_FAILED']);
  });

  for (const [name, first] of [
    ['not stored', answer(503, {}, 'busy')],
    ['closed', new Error('Target page, context or browser has been closed')],
  ] as const) {
    test(`should give a request that joined a ${name} outcome its own turn`, async () => {
      const h = new Harness({ processFlight: true });
      const leaderAnswer = new Deferred<ReturnType<typeof ok>>();
      h.origin.reply(() => leaderAnswer.promise, ok('build 1'));
      const leader = h.resolve(URL);
      await h.origin.asked(1);
      const joiner = h.resolve(URL);
      if (first instanceof Error)
        leaderAnswer.reject(first);
      else
        leaderAnswer.resolve(first);
      expect(await leader).toMatchObject(first instanceof Error ? { kind: 'closed' } : { kind: 'passed', status: 503 });
      expect(servedOf(await joiner)).toMatchObject({ source: 'network', stored: true });
      expect(h.origin.asks).toHaveLength(2);
      expect(h.reported).toEqual([]);
    });
  }

  test('should not hand an early check\'s silent failure to a page\'s request: that one checks on its own', async () => {
    const h = new Harness({ processFlight: true });
    h.keep('disk', h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' })));
    h.clock.advance(SECOND);
    const early = new Deferred<ReturnType<typeof ok>>();
    h.origin.reply(() => early.promise, notModified({ etag: '"b1"' }));
    const check = h.resolve(h.request(URL, { early: true }));
    await h.origin.asked(1);
    const page = h.resolve(URL);
    early.resolve(answer(503, {}, 'busy'));
    // The early check fails silently, for the page's own request to do better.
    expect(await check).toEqual({ kind: 'fallback' });
    expect(servedOf(await page)).toMatchObject({ source: 'disk', revalidated: true });
    expect(h.origin.asks.map(ask => ask.headers['if-none-match'])).toEqual(['"b1"', '"b1"']);
    expect(h.reported).toEqual([]);
    expect(h.checks).toEqual({ revalidations: 2, revalidated: 1 });
  });

  test('should hand an early check\'s success to a page\'s request that joined it', async () => {
    const h = new Harness({ processFlight: true });
    h.keep('disk', h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' })));
    h.clock.advance(SECOND);
    const early = new Deferred<ReturnType<typeof ok>>();
    h.origin.reply(() => early.promise);
    const check = h.resolve(h.request(URL, { early: true }));
    await h.origin.asked(1);
    const page = h.resolve(URL);
    early.resolve(notModified({ etag: '"b1"' }));
    expect(servedOf(await check)).toMatchObject({ source: 'disk', revalidated: true });
    expect(servedOf(await page)).toMatchObject({ source: 'memory', revalidated: true });
    expect(h.origin.asks).toHaveLength(1);
  });
});

test.describe('a scripted claim', () => {
  test('should, when it says joined, look in its tier again and serve what the leader left there', async () => {
    const h = new Harness();
    const left = h.entry(URL, ok('build 1'));
    h.flight('disk').script({ joined: undefined, leaderLeft: left });
    const served = servedOf(await h.resolve(URL));
    expect(served).toMatchObject({ source: 'disk', stored: false });
    expect(served.response).toBe(left);
    expect(h.tier('disk').gets).toEqual([KEY, KEY]);
    // The remote was looked at once before the disk's claim (see `claimLate`), never claimed or asked again.
    expect([h.tier('remote').gets, h.flight('remote').claims, h.origin.asks]).toEqual([[KEY], [], []]);
    expect(h.flight('disk').releases).toEqual([]);
    await h.settle();
    expect(h.tier('memory').copies.get(KEY)).toBe(left);
  });

  test('should take a check the named leader made while the request waited, even from a clock behind this run\'s start', async () => {
    const h = new Harness();
    // An earlier run's copy, due for its first-use check in this run.
    h.keep('remote', h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' }), h.clock.now - HOUR));
    // Another machine led, its clock 5 s behind: its check looks older than this run.
    const checked = byMachine(h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' }), h.clock.now - 5 * SECOND), 'another-machine');
    h.flight('remote').script({ joined: undefined, leaderLeft: checked, leader: { host: 'another-machine', since: h.clock.now - 6 * SECOND } });
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'remote', revalidated: false });
    expect(h.origin.asks).toEqual([]);
  });

  test('should check a copy that appeared while the request waited but was not the leader\'s work (a push of an older check)', async () => {
    const h = new Harness();
    h.keep('remote', h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' }), h.clock.now - HOUR));
    const pushed = byMachine(h.entry(URL, ok('build 1', { ...MUST_REVALIDATE, etag: '"b1"' }), h.clock.now - 5 * SECOND), 'a-third-machine');
    h.flight('remote').script({ joined: undefined, leaderLeft: pushed, leader: { host: 'another-machine', since: h.clock.now - 6 * SECOND } });
    h.origin.reply(notModified({ etag: '"b1"' }));
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'remote', revalidated: true });
    expect(h.origin.asks).toHaveLength(1);
  });

  test('should, when it says joined and the leader left nothing, go on to the next tier and the origin', async () => {
    const h = new Harness();
    h.flight('disk').script({ joined: undefined });
    h.origin.reply(ok('build 1'));
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'network', stored: true });
    expect(h.flight('remote').claims).toEqual([KEY]);
    expect(h.flight('disk').releases).toEqual([]);
  });

  test('should, when it says joined with an outcome, serve that outcome as memory', async () => {
    const h = new Harness();
    const response = h.entry(URL, ok('build 1'));
    h.flight('memory').script({ joined: { kind: 'stored', response } });
    const served = servedOf(await h.resolve(URL));
    expect(served).toMatchObject({ source: 'memory', stored: false, revalidated: false });
    expect(served.response).toBe(response);
    expect([h.tier('disk').gets, h.origin.asks]).toEqual([[], []]);
  });

  test('should, when it says alone, go on without holding anything, and still store', async () => {
    const h = new Harness();
    h.flight('disk').script({ alone: 'lock timed out' });
    h.origin.reply(ok('build 1'));
    expect(servedOf(await h.resolve(URL))).toMatchObject({ source: 'network', stored: true });
    await h.settle();
    expect(h.flight('disk').releases).toEqual([]);
    expect(h.flight('remote').releases).toHaveLength(1);
    expect(h.tier('disk').copies.has(KEY)).toBe(true);
  });

  test('should go past a tier with no flight without a claim', async () => {
    const h = new Harness({ noFlight: ['remote'] });
    h.origin.reply(ok('build 1'));
    servedOf(await h.resolve(URL));
    expect(h.journal.filter(line => line.endsWith(' claim'))).toEqual(['memory claim', 'disk claim']);
    expect(h.tier('remote').gets).toEqual([KEY]);
  });
});

test.describe('releases', () => {
  test('should release each claim after its own tier\'s write, the fleet claim after the upload', async () => {
    const h = new Harness();
    h.origin.reply(ok('build 1'));
    const letUpload = h.tier('remote').hold();
    servedOf(await h.resolve(URL));
    // The disk and memory writes were waited for; the upload goes on, and other machines wait for it.
    await Promise.resolve();
    expect(h.journal).not.toContain('remote release');
    letUpload();
    await h.settle();
    const at = (line: string) => h.journal.indexOf(line);
    expect(at('disk release')).toBeGreaterThan(at('disk kept'));
    expect(at('memory release')).toBeGreaterThan(at('memory kept'));
    expect(at('remote release')).toBeGreaterThan(at('remote kept'));
  });

  test('should release a claim at once when its tier was not written, and release claims a walk that threw still held', async () => {
    const h = new Harness();
    h.origin.reply(answer(404));
    await h.resolve(URL);
    await h.settle();
    expect(['memory', 'disk', 'remote'].map(tier => h.journal.includes(`${tier} release`))).toEqual([true, true, true]);

    const broken = new Harness();
    let remoteLooks = 0;
    // The remote's second look comes after every claim was taken.
    broken.tier('remote').get = async () => {
      if (++remoteLooks === 2)
        throw new Error('a tier bug');
      return undefined;
    };
    await expect(broken.resolve(URL)).rejects.toThrow('a tier bug');
    for (const tier of ['memory', 'disk', 'remote'] as const)
      expect(broken.flight(tier).releases, tier).toEqual([{ key: KEY, outcome: undefined }]);
  });
});
