import { createHash } from 'node:crypto';
import { test, expect } from '@playwright/test';
import type { APIRequestContext, Request } from 'playwright';
import { FORMAT_VERSION, type CachedResponse } from '../../../src/core/meta.js';
import { EARLY_CHECK_WINDOW_MS, EarlyChecks } from '../../../src/route/earlyChecks.js';
import type { CacheRequest } from '../../../src/core/request.js';
import type { Origin } from '../../../src/core/origin.js';
import type { Resolution } from '../../../src/core/resolution.js';
import type { Resolver } from '../../../src/engine/resolver.js';
import { toCacheRequest } from '../../../src/engine/cacheRequest.js';
import { freshnessOnStore } from '../../../src/freshness/entryFreshness.js';
import { FreshnessJudge } from '../../../src/freshness/judge.js';
import { MemoryTier } from '../../../src/memory/memoryTier.js';
import { resolveOptions } from '../../../src/options/resolve.js';
import type { BundleCacheOptions } from '../../../src/types.js';

// The bookkeeping of early checks, with Playwright's Request and Frame
// reduced to the two methods it reads and a resolver that records its calls.
// tests/browser/freshness/earlyChecks.spec.ts runs them in Chromium.

const PAGE = 'http://127.0.0.1:8080/';
const MAIN = 'http://127.0.0.1:8080/main.dart.js';
const MUST_REVALIDATE = { 'cache-control': 'public, max-age=0, must-revalidate', etag: '"b1"' };
const PAGE_HEADERS = { accept: '*/*', referer: PAGE, 'user-agent': 'HeadlessChrome', 'x-team': 'first', authorization: 'Bearer first' };

interface FakeFrame {
  url(): string;
}

function setup(options: BundleCacheOptions = {}) {
  const clock = { ms: Date.parse('2026-12-01T12:00:00Z') };
  const now = () => clock.ms;
  const resolved = resolveOptions({ dir: '/tmp/unused-early-checks', now, ...options }, {});
  const memory = new MemoryTier({ maxBytes: 1e9, ttlMs: 1e9, now });
  const judge = new FreshnessJudge({ now, mode: 'default', runStartedAt: now(), host: 'this-machine' });
  const calls: Array<{ request: CacheRequest; origin: Origin }> = [];
  const resolver = {
    resolve: (request: CacheRequest, origin: Origin) => {
      calls.push({ request, origin });
      const resolution: Resolution = { kind: 'fallback' };
      return Promise.resolve(resolution);
    },
  } as unknown as Resolver;
  const tracked: Array<Promise<unknown>> = [];
  // As the engine decides it: the memory tier's copy, judged due for a check.
  const dueForCheck = (request: CacheRequest) => {
    const copy = memory.take(request.key);
    return copy !== undefined && judge.decide(copy.meta, request) === 'revalidate';
  };
  const early = new EarlyChecks({ now, dueForCheck, resolver, track: work => void tracked.push(work) });
  const cacheRequest = (url: string, headers: Record<string, string> = PAGE_HEADERS) => toCacheRequest(resolved, 'GET', url, headers)!;

  /** An entry in memory, stored a second ago with these response headers. */
  const stored = async (url: string, responseHeaders: Record<string, string> = MUST_REVALIDATE, extra: Partial<CachedResponse['meta']> = {}): Promise<CachedResponse> => {
    const request = cacheRequest(url);
    const at = now() - 1000;
    const body = Buffer.from(`body of ${url}`);
    const response: CachedResponse = {
      body,
      meta: {
        formatVersion: FORMAT_VERSION, key: request.key, url: request.url, method: 'GET', resource: request.url, version: null, status: 200,
        headers: responseHeaders, size: body.length, sha256: createHash('sha256').update(body).digest('hex'),
        storedAt: new Date(at).toISOString(), expiresAt: new Date(at + request.rule.maxAgeMs).toISOString(), rule: request.rule.name,
        freshness: freshnessOnStore({ status: 200, responseHeaders, versioned: url.includes('.0123456789abcdef.'), receivedAt: at, by: 'this-machine' }),
        ...extra,
      },
    };
    await memory.put(response);
    return response;
  };
  const frame = (url: string): FakeFrame => ({ url: () => url });
  const request = (url: string, inFrame: FakeFrame | undefined, headers: Record<string, string> = {}) => ({
    url: () => url,
    headers: () => headers,
    frame: () => {
      if (!inFrame)
        throw new Error('Service Worker requests do not have an associated frame.');
      return inFrame;
    },
  }) as unknown as Request;
  const seenBy: Array<{ url: string; headers: Record<string, string> }> = [];
  const api = {
    get: async (url: string, init: { headers: Record<string, string> }) => {
      seenBy.push({ url, headers: init.headers });
      return { status: () => 304, headers: () => ({}), body: async () => Buffer.alloc(0) };
    },
  } as unknown as APIRequestContext;

  /** A visit: the page at `page` in `inFrame` asked for `url`, answered with `response`. */
  const used = (inFrame: FakeFrame, url: string, response: CachedResponse, requested = url) =>
    early.learn(request(requested, inFrame), requested, cacheRequest(url), response.meta);
  const navigate = (inFrame: FakeFrame, url = PAGE, headers: Record<string, string> = {}) => early.navigated(request(url, inFrame, headers), api);
  const take = (inFrame: FakeFrame | undefined, url: string) => early.take(request(url, inFrame), cacheRequest(url).key);
  return { clock, early, calls, tracked, stored, frame, used, navigate, take, seenBy, cacheRequest };
}

test.describe('EarlyChecks', () => {
  test('should check a must-revalidate entry when its document is requested again, and hand that check to one request', async () => {
    const { stored, frame, used, navigate, take, calls, tracked } = setup();
    const main = await stored(MAIN);
    const tab = frame(PAGE);
    used(tab, MAIN, main);
    expect(calls).toHaveLength(0);

    navigate(tab);
    expect(calls.map(call => call.request.url)).toEqual([MAIN]);
    expect(tracked).toHaveLength(1);
    const check = take(tab, MAIN);
    expect(check).toBe(tracked[0]);
    expect(await check).toEqual({ kind: 'fallback' });
    // Used once: the page's next request for it is on its own.
    expect(take(tab, MAIN)).toBeUndefined();
  });

  test('should send only the document\'s headers of the last visit: the context adds its own', async () => {
    const { stored, frame, used, navigate, calls, seenBy } = setup();
    const tab = frame(PAGE);
    used(tab, MAIN, await stored(MAIN), `${MAIN}#ignored`);
    navigate(tab);
    expect(calls[0]!.request.requestHeaders).toEqual({ accept: '*/*', referer: PAGE });
    // The resolver adds its own headers to the request's; the check asks for the URL as the page did.
    await calls[0]!.origin({ url: undefined, headers: { ...calls[0]!.request.requestHeaders, 'if-none-match': '"b1"' } });
    expect(seenBy).toEqual([{ url: `${MAIN}#ignored`, headers: { accept: '*/*', referer: PAGE, 'if-none-match': '"b1"' } }]);
  });

  test('should give a check only to the frame and document it was started for, within its window', async () => {
    const { clock, stored, frame, used, navigate, take } = setup();
    const main = await stored(MAIN);
    const [tab, other] = [frame(PAGE), frame(PAGE)];
    used(tab, MAIN, main);

    navigate(tab);
    expect(take(other, MAIN)).toBeUndefined();
    expect(take(undefined, MAIN)).toBeUndefined();
    // A second navigation of the frame drops what the first started.
    navigate(tab, 'http://127.0.0.1:8080/other.html');
    expect(take(tab, MAIN)).toBeUndefined();

    navigate(tab);
    clock.ms += EARLY_CHECK_WINDOW_MS + 1;
    expect(take(tab, MAIN)).toBeUndefined();
  });

  test('should start nothing for a document that asks for a fresh copy: its bundles check on their own', async () => {
    const { stored, frame, used, navigate, take, calls } = setup();
    const tab = frame(PAGE);
    used(tab, MAIN, await stored(MAIN));
    navigate(tab);
    navigate(tab, PAGE, { 'cache-control': 'no-cache' });
    expect(calls).toHaveLength(1);
    // And the check the first navigation started is dropped with it.
    expect(take(tab, MAIN)).toBeUndefined();
  });

  test('should match the document without its fragment', async () => {
    const { stored, frame, used, navigate, calls } = setup();
    const tab = frame(`${PAGE}#/home`);
    used(tab, MAIN, await stored(MAIN));
    navigate(tab, `${PAGE}#/settings`);
    expect(calls).toHaveLength(1);
  });

  test('should not check what would not be checked at use', async () => {
    const { clock, stored, frame, used, navigate, calls } = setup({ revalidate: 'http' });
    const tab = frame(PAGE);
    // Fresh by its headers for ten minutes, in mode 'http'.
    used(tab, MAIN, await stored(MAIN, { 'cache-control': 'max-age=600', etag: '"b1"' }));
    clock.ms += 1000;
    navigate(tab);
    expect(calls).toHaveLength(0);
    // Stale now: checked.
    clock.ms += 600_000;
    navigate(tab);
    expect(calls).toHaveLength(1);
  });

  test('should not check an entry that is no longer in memory', async () => {
    const { stored, frame, used, navigate, calls, cacheRequest } = setup();
    const tab = frame(PAGE);
    const main = await stored(MAIN);
    used(tab, MAIN, main);
    const other = setup();
    // Learned by this instance, but the entry lives in another one's memory only.
    other.used(tab, MAIN, main);
    other.navigate(tab);
    expect(other.calls).toHaveLength(0);
    navigate(tab);
    expect(calls.map(call => call.request.key)).toEqual([cacheRequest(MAIN).key]);
  });

  test('should learn nothing from entries an early check cannot stand for', async () => {
    const { stored, frame, used, navigate, calls } = setup();
    const tab = frame(PAGE);
    // Versioned (immutable), without validators, and varying on a request header.
    const versioned = 'http://127.0.0.1:8080/main.0123456789abcdef.js';
    used(tab, versioned, await stored(versioned));
    used(tab, `${MAIN}?a`, await stored(`${MAIN}?a`, { 'cache-control': 'max-age=0' }));
    used(tab, `${MAIN}?b`, await stored(`${MAIN}?b`, MUST_REVALIDATE, { vary: { 'x-team': 'digest' } }));
    // A document that is not a web page.
    used(frame('about:blank'), MAIN, await stored(MAIN));
    navigate(tab);
    navigate(frame('about:blank'), 'about:blank');
    expect(calls).toHaveLength(0);
  });

  test('should learn nothing in mode \'never\'', async () => {
    const { stored, frame, used, navigate, calls } = setup({ revalidate: 'never' });
    const tab = frame(PAGE);
    used(tab, MAIN, await stored(MAIN));
    navigate(tab);
    expect(calls).toHaveLength(0);
  });

  test('should remember at most 32 entries per document and 256 documents', async () => {
    const { stored, frame, used, navigate, calls } = setup();
    const tab = frame(PAGE);
    for (let i = 0; i < 40; i++)
      used(tab, `${MAIN}?n=${i}`, await stored(`${MAIN}?n=${i}`));
    navigate(tab);
    expect(calls).toHaveLength(32);

    calls.length = 0;
    const main = await stored(MAIN);
    for (let i = 0; i <= 256; i++)
      used(frame(`${PAGE}page-${i}`), MAIN, main);
    navigate(frame(`${PAGE}page-0`), `${PAGE}page-0`);
    expect(calls).toHaveLength(0);
    navigate(frame(`${PAGE}page-1`), `${PAGE}page-1`);
    expect(calls).toHaveLength(1);
  });
});
