import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { test, expect, visit, expectWorkingApp, BUNDLES } from './fixtures.js';
import type { BundleCache, ServedEvent } from '../../../src/index.js';
import { entryPaths } from '../../../src/keys/entryPaths.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';

const LATENCY_MS = 300;

interface Seen extends ServedEvent {
  /** Whether the entry's meta.json was on disk when the event fired. */
  readonly onDisk: boolean;
}

/** Every served event, with whether its entry existed at that moment. */
function watch(cache: BundleCache): Seen[] {
  const seen: Seen[] = [];
  cache.on('served', event => seen.push({ ...event, onDisk: existsSync(entryPaths(cache.dir, cacheKey('GET', event.url), event.url).meta) }));
  return seen;
}

/** A visit, and how long it took as the test saw it: no event of it can have taken longer. */
async function timedVisit(...args: Parameters<typeof visit>): Promise<{ report: Awaited<ReturnType<typeof visit>>; ms: number }> {
  const started = performance.now();
  const report = await visit(...args);
  return { report, ms: performance.now() - started };
}

const sizes = (site: { body(path: string): Buffer }) => Object.fromEntries(BUNDLES.map(path => [path, site.body(path).length]));
const pathOf = (event: ServedEvent) => new URL(event.url).pathname;

test('should say a miss was stored, and time it from the route event to the hand-over, origin wait included', async ({ browser, site, openCache }) => {
  site.setLatency(LATENCY_MS);
  const cache = await openCache();
  const seen = watch(cache);
  const cold = await timedVisit(browser, cache, site.pageUrl);
  expectWorkingApp(cold.report, site);
  expect(seen.map(event => [pathOf(event), event.source, event.stored, event.onDisk, event.bytes]).sort()).toEqual(
      BUNDLES.map(path => [path, 'network', true, true, sizes(site)[path]]).sort());
  for (const event of seen) {
    // The origin's latency is on the miss's path, so it is inside the event's time.
    expect(event.durationMs, pathOf(event)).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(event.durationMs, pathOf(event)).toBeLessThanOrEqual(cold.ms);
  }

  seen.length = 0;
  const warm = await timedVisit(browser, cache, site.pageUrl);
  expectWorkingApp(warm.report, site);
  expect(seen.map(event => [pathOf(event), event.source, event.stored]).sort()).toEqual(BUNDLES.map(path => [path, 'memory', false]).sort());
  for (const event of seen)
    expect(event.durationMs).toBeLessThanOrEqual(warm.ms);
});

test('should say a hit from disk and a response the cache may not keep were not stored', async ({ browser, site, openCache }) => {
  site.setHeaders('/canvaskit/canvaskit.js', { 'cache-control': 'no-store' });
  const summary = (seen: Seen[]) => Object.fromEntries(seen.map(event => [pathOf(event), [event.source, event.stored, event.onDisk]]));
  const first = await openCache();
  const seenFirst = watch(first);
  expectWorkingApp(await visit(browser, first, site.pageUrl), site);
  await first.close();
  const second = await openCache();
  const seenSecond = watch(second);
  expectWorkingApp(await visit(browser, second, site.pageUrl), site);
  expect(summary(seenFirst)).toEqual({
    '/main.dart.js': ['network', true, true],
    '/canvaskit/canvaskit.wasm': ['network', true, true],
    '/canvaskit/canvaskit.js': ['network', false, false],
  });
  expect(summary(seenSecond)).toEqual({
    '/main.dart.js': ['disk', false, true],
    '/canvaskit/canvaskit.wasm': ['disk', false, true],
    '/canvaskit/canvaskit.js': ['network', false, false],
  });
});
