import { expect, test } from '@playwright/test';
import { MAX_REDIRECTS } from '../../../../src/http/redirects.js';
import { answer, ok } from '../fakes.js';
import { Harness, servedOf } from '../harness.js';

// Redirects are followed by the resolver, each target resolved (and kept)
// under its own URL, credentials left behind on the way to another origin.

const URL = 'https://app.test/main.dart.js';
const HASHED = 'https://app.test/build/main.3f9a1c2b.js';
const CDN = 'https://cdn.test/canvaskit/canvaskit.wasm';

const found = (location: string, status = 302) => answer(status, { location, 'cache-control': 'no-cache' }, 'moved');

test('should follow a redirect and keep the target under its own URL, asking only for the redirect next time', async () => {
  const h = new Harness();
  h.origin.reply(found('/build/main.3f9a1c2b.js'), ok('build 1'), found('/build/main.3f9a1c2b.js'));
  const first = servedOf(await h.resolve(URL));
  expect(first).toMatchObject({ source: 'network', stored: true, request: { key: `GET ${HASHED}`, url: HASHED } });
  expect(first.response.meta).toMatchObject({ url: HASHED, key: `GET ${HASHED}`, version: '3f9a1c2b' });
  // The relative Location resolved against the URL it answered for; the target asked for by its URL.
  expect(h.origin.asks.map(ask => [ask.url, ask.own])).toEqual([[URL, true], [HASHED, false]]);
  expect([...h.tier('disk').copies.keys()]).toEqual([`GET ${HASHED}`]);

  const again = servedOf(await h.resolve(URL));
  expect(again).toMatchObject({ source: 'memory', request: { url: HASHED } });
  expect(h.origin.asks.map(ask => ask.url)).toEqual([URL, HASHED, URL]);
});

test('should follow a redirect that moved after a deploy to the new target, never serving the old one', async () => {
  const h = new Harness();
  const moved = 'https://app.test/build/main.77aa0e1d.js';
  h.origin.reply(found(HASHED), ok('build 1'), found(moved), ok('build 2'));
  servedOf(await h.resolve(URL));
  const after = servedOf(await h.resolve(URL));
  expect(after).toMatchObject({ source: 'network', stored: true, request: { url: moved } });
  expect(after.response.body.toString()).toBe('build 2');
});

test('should keep credentials for a same-origin target and drop them on the way to another origin', async () => {
  const h = new Harness();
  const credentials = { cookie: 'sid=CANARY', authorization: 'Bearer CANARY', 'proxy-authorization': 'Basic CANARY' };
  h.origin.reply(found(HASHED), found(CDN, 307), ok('wasm'));
  const request = h.request(URL, { requestHeaders: { accept: '*/*', ...credentials } });
  expect(servedOf(await h.resolve(request))).toMatchObject({ request: { url: CDN } });
  const [own, sameOrigin, otherOrigin] = h.origin.asks;
  expect(own!.headers).toMatchObject(credentials);
  expect(sameOrigin!.headers).toMatchObject(credentials);
  expect(otherOrigin!.headers).toEqual({ 'accept': '*/*', 'accept-encoding': 'identity' });
});

test(`should follow at most ${MAX_REDIRECTS} redirects and pass the next one on`, async () => {
  const h = new Harness();
  const hop = (n: number) => `https://app.test/hop/${n}.js`;
  h.origin.reply(...Array.from({ length: MAX_REDIRECTS + 1 }, (_, n) => found(hop(n + 1), 301)));
  const resolution = await h.resolve(URL);
  expect(resolution).toMatchObject({ kind: 'passed', status: 301, reason: 'status 301', request: { url: hop(MAX_REDIRECTS) } });
  expect(resolution.kind === 'passed' && resolution.headers.location).toBe(hop(MAX_REDIRECTS + 1));
  expect(h.origin.asks.map(ask => ask.url)).toEqual([URL, ...Array.from({ length: MAX_REDIRECTS }, (_, n) => hop(n + 1))]);
  await h.settle();
  expect(h.tier('disk').puts).toEqual([]);
});

test('should pass on a redirect to itself instead of following it', async () => {
  const h = new Harness();
  h.origin.reply(found(URL));
  expect(await h.resolve(URL)).toMatchObject({ kind: 'passed', status: 302, request: { url: URL } });
  expect(h.origin.asks).toHaveLength(1);
});

test('should claim each target\'s own flights, and release the source\'s before the target\'s walk', async () => {
  const h = new Harness();
  h.origin.reply(found(HASHED), ok('build 1'));
  servedOf(await h.resolve(URL));
  await h.settle();
  expect(h.flight('disk').claims).toEqual([`GET ${URL}`, `GET ${HASHED}`]);
  expect(h.flight('disk').releases.map(release => [release.key, release.outcome?.kind])).toEqual([[`GET ${URL}`, 'passed'], [`GET ${HASHED}`, 'stored']]);
  // Nobody waits on the redirect's key while its target is fetched.
  const disk = h.journal.filter(line => line.startsWith('disk ') || line.startsWith('origin '));
  expect(disk.slice(0, 4)).toEqual(['disk claim', `origin ${URL}`, 'disk release', 'disk claim']);
});
