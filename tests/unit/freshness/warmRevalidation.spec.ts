import { copyFile, readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import { BundleCache, type BundleCacheOptions } from '../../../src/index.js';
import type { EntryMeta } from '../../../src/core/meta.js';
import { entryPaths } from '../../../src/keys/entryPaths.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { startSite, type Site } from '../../site/server.js';

// Revalidation through cache.warm(), without a browser: what lands on disk.

const MAIN = '/main.dart.js';

type Fixtures = {
  dir: string;
  now: { ms: number };
  open: (options?: BundleCacheOptions, dir?: string) => Promise<BundleCache>;
};

const test = base.extend<Fixtures>({
  dir: async ({}, use) => {
    const dir = await makeTempDir();
    await use(dir);
    await removeDir(dir);
  },
  now: async ({}, use) => {
    await use({ ms: Math.floor(Date.now() / 1000) * 1000 });
  },
  open: async ({ dir, now }, use) => {
    const opened: BundleCache[] = [];
    await use(async (options = {}, root = dir) => {
      const cache = await BundleCache.open({ dir: root, now: () => now.ms, ...options });
      opened.push(cache);
      return cache;
    });
    await Promise.all(opened.map(cache => cache.close()));
  },
});

async function readEntry(dir: string, url: string): Promise<{ meta: EntryMeta; metaBytes: Buffer; body: Buffer; bodyPath: string }> {
  const paths = entryPaths(dir, `GET ${url}`, url);
  const metaBytes = await readFile(paths.meta);
  return { meta: JSON.parse(metaBytes.toString('utf8')) as EntryMeta, metaBytes, body: await readFile(paths.body), bodyPath: paths.body };
}

/** A tiny origin for main.dart.js whose every answer the test decides. */
async function tinyOrigin(answer: (request: IncomingMessage, response: ServerResponse) => unknown) {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    void answer(request, response);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${MAIN}`;
  return { url, requests, close: () => new Promise<void>(resolve => server.close(() => resolve())) };
}

test.describe('against the Flutter test site', () => {
  let site: Site;
  test.beforeEach(async ({ now }) => {
    site = await startSite({ layout: 'flutter', profile: 'netlify', clock: () => now.ms });
  });
  test.afterEach(async () => {
    await site.close();
  });

  test('should answer a 304 by rewriting meta.json only: the body file untouched, headers and freshness updated, maxAge counted anew', async ({ dir, now, open }) => {
    const url = site.origin + MAIN;
    expect(await (await open()).warm(url)).toMatchObject({ outcome: 'stored' });
    const stored = await readEntry(dir, url);
    const bodyStat = await stat(stored.bodyPath);
    // The host changes its Cache-Control; the 304 carries it, as RFC 9111 section 4.3.4 asks to store.
    site.setHeaders(MAIN, { 'cache-control': 'public, max-age=120' });
    now.ms += 60_000;
    const cache = await open();
    expect(await cache.warm(url)).toEqual({ url, outcome: 'fresh', bytes: site.body(MAIN).length, revalidated: true });
    expect(site.responses(MAIN)).toEqual({ 200: 1, 304: 1 });
    expect(cache.stats()).toMatchObject({ revalidations: 1, revalidated: 1, errors: 0 });

    const refreshed = await readEntry(dir, url);
    const after = await stat(refreshed.bodyPath);
    expect([after.ino, after.mtimeMs]).toEqual([bodyStat.ino, bodyStat.mtimeMs]);
    expect(refreshed.body.equals(stored.body)).toBe(true);
    const { freshness, ...rest } = refreshed.meta;
    const { freshness: _before, ...storedRest } = stored.meta;
    expect(rest).toEqual({ ...storedRest, expiresAt: new Date(now.ms + 24 * 3_600_000).toISOString(), headers: { ...stored.meta.headers, 'cache-control': 'public, max-age=120' } });
    expect(freshness).toMatchObject({
      kind: 'revalidated',
      validatedAt: new Date(now.ms).toISOString(),
      freshUntil: new Date(now.ms + 120_000).toISOString(),
      revalidations: 1,
      headers: { 'cache-control': 'public, max-age=120', etag: stored.meta.freshness!.headers.etag },
    });
  });

  test('should store the new body after a deploy, asked for with the old build\'s ETag', async ({ dir, now, open }) => {
    const url = site.origin + MAIN;
    await (await open()).warm(url);
    site.deploy();
    now.ms += 1000;
    expect(await (await open()).warm(url)).toMatchObject({ outcome: 'stored', bytes: site.body(MAIN).length });
    const entry = await readEntry(dir, url);
    expect(entry.body.equals(site.body(MAIN, 2))).toBe(true);
    expect(entry.meta.freshness).toMatchObject({ revalidations: 0, headers: { etag: site.responseHeaders(MAIN, 2).etag } });
    expect(site.requests.filter(request => request.pathname === MAIN).map(request => request.headers['if-none-match']))
        .toEqual([undefined, site.responseHeaders(MAIN, 1).etag]);
  });
});

test('should fetch the body whole when a 304 names another strong ETag', async ({ dir, now, open }) => {
  const origin = await tinyOrigin((request, response) => {
    if (request.headers['if-none-match'])
      return response.writeHead(304, { etag: '"b"', 'cache-control': 'no-cache' }).end();
    const build = origin.requests.length === 1 ? 'a' : 'b';
    response.writeHead(200, { 'content-type': 'text/javascript', etag: `"${build}"`, 'cache-control': 'no-cache' }).end(`window.build = '${build}';`);
  });
  try {
    await (await open()).warm(origin.url);
    now.ms += 1000;
    const cache = await open();
    expect(await cache.warm(origin.url)).toMatchObject({ outcome: 'stored' });
    expect(origin.requests.map(request => request.headers['if-none-match'])).toEqual([undefined, '"a"', undefined]);
    const entry = await readEntry(dir, origin.url);
    expect(entry.body.toString()).toBe("window.build = 'b';");
    expect(entry.meta.freshness!.headers.etag).toBe('"b"');
    expect(cache.stats()).toMatchObject({ revalidations: 1, revalidated: 0 });
  } finally {
    await origin.close();
  }
});

test("should not put a 304's headers on a body another process stored meanwhile", async ({ dir, now, open }) => {
  const other = await makeTempDir();
  let replaceDuringCheck = async () => {};
  const origin = await tinyOrigin(async (request, response) => {
    const headers = { 'content-type': 'text/javascript', 'cache-control': 'no-cache' };
    if (request.headers['if-none-match'] === '"a"') {
      // Another process took the entry over and wrote its own build while our check was at the origin.
      await replaceDuringCheck();
      return response.writeHead(304, { ...headers, etag: '"a"' }).end();
    }
    const build = origin.requests.length === 1 ? 'a' : 'b';
    response.writeHead(200, { ...headers, etag: `"${build}"` }).end(`window.build = '${build}';`);
  });
  try {
    await (await open()).warm(origin.url);
    // Closed before its dir is removed below: its index write must not race the removal.
    const theirCache = await open({}, other);
    await theirCache.warm(origin.url);
    await theirCache.close();
    const theirs = await readEntry(other, origin.url);
    expect(theirs.body.toString()).toBe("window.build = 'b';");
    const mine = entryPaths(dir, `GET ${origin.url}`, origin.url);
    replaceDuringCheck = async () => {
      await copyFile(theirs.bodyPath, mine.body);
      await copyFile(path.join(other, path.relative(dir, mine.meta)), mine.meta);
    };
    now.ms += 1000;
    const cache = await open();
    expect(await cache.warm(origin.url)).toMatchObject({ outcome: 'fresh', revalidated: true });
    // Their entry is left exactly as they wrote it: their body, their ETag.
    const after = await readEntry(dir, origin.url);
    expect(after.metaBytes.equals(theirs.metaBytes)).toBe(true);
    expect(after.body.toString()).toBe("window.build = 'b';");
  } finally {
    await origin.close();
    await removeDir(other);
  }
});

test("should count another cache's check made after its request arrived as its own first-use check in mode 'run'", async ({ now, open }) => {
  // GitHub Pages: fresh for 10 min once checked, so a cache that has checked it this run does not ask again.
  const site = await startSite({ layout: 'flutter', profile: 'github-pages', latencyMs: 200, clock: () => now.ms });
  try {
    const url = site.origin + MAIN;
    await (await open()).warm(url);
    now.ms += 1000;
    // Two new runs at once: one checks under the key's lock, the other waits and reads what it confirmed.
    const [a, b] = [await open(), await open()];
    const first = await Promise.all([a.warm(url), b.warm(url)]);
    expect(first.map(result => result.revalidated ?? false).sort()).toEqual([false, true]);
    expect(site.responses(MAIN)).toEqual({ 200: 1, 304: 1 });
    now.ms += 1000;
    expect((await Promise.all([a.warm(url), b.warm(url)])).map(result => result.outcome)).toEqual(['fresh', 'fresh']);
    expect(site.responses(MAIN)).toEqual({ 200: 1, 304: 1 });
    expect(a.stats().revalidations + b.stats().revalidations).toBe(1);
  } finally {
    await site.close();
  }
});

test("should say in warm()'s reason why a check or a fetch failed", async ({ now, open }) => {
  const site = await startSite({ layout: 'flutter', clock: () => now.ms });
  const url = site.origin + MAIN;
  const cache = await open();
  expect((await cache.warm(url)).outcome).toBe('stored');
  await site.close();
  now.ms += 1000;
  // The stored entry is must-revalidate (Netlify): its check meets a closed port, and no stale copy stands in.
  expect(await cache.warm(url)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^fetch failed: .*ECONNREFUSED/) });
  expect(await cache.warm(`${site.origin}/other/main.dart.js`)).toMatchObject({ outcome: 'failed', reason: expect.stringMatching(/^fetch failed: .*ECONNREFUSED/) });
});
