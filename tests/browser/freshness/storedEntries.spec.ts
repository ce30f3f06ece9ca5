import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../../helpers/tempDir.js';
import { MAIN, SECOND, expect, expectBuild, storedEntries, storedEntry, test, visit } from './fixtures.js';

/** Rewrites every meta.json under `dir` as the release before revalidation wrote it: no `freshness` record. */
async function asPreviousRelease(dir: string): Promise<number> {
  const entries = await storedEntries(dir);
  for (const { meta, metaPath } of entries) {
    const { freshness: _dropped, ...previous } = meta;
    await writeFile(metaPath, `${JSON.stringify(previous, null, 2)}\n`);
  }
  return entries.length;
}

test.describe('a cache dir written by the previous release', () => {
  test('should be read and revalidated, not thrown away: a 304 for the unversioned entry, none for the versioned ones', async ({ browser, site, cdnWasm, clock, cacheDir, openCache }) => {
    expectBuild((await visit(browser, await openCache(), site)).report, 1);
    const etag = site.responseHeaders(MAIN).etag;
    expect(await asPreviousRelease(cacheDir)).toBe(3);
    clock.advance(SECOND);
    const cache = await openCache({ revalidate: 'http' });
    const seen = await visit(browser, cache, site);
    expectBuild(seen.report, 1);
    // Stale by definition, checked with the ETag it was stored with; CanvasKit's versioned URLs are immutable.
    expect(seen.mainResponses).toEqual({ 304: 1 });
    expect(seen.mainConditions).toEqual([{ ifNoneMatch: etag, ifModifiedSince: undefined }]);
    expect(site.cdn.responses(cdnWasm)).toEqual({ 200: 1 });
    expect(seen.served.map(event => event.source)).toEqual(['disk', 'disk', 'disk']);
    expect(cache.stats()).toMatchObject({ revalidations: 1, revalidated: 1, misses: 0, errors: 0 });
    const main = await storedEntry(cacheDir, MAIN);
    expect(main.meta.freshness).toMatchObject({ kind: 'revalidated', revalidations: 1, headers: { etag } });
    // The versioned entries stay as they were: judged immutable without being rewritten.
    const others = (await storedEntries(cacheDir)).filter(entry => new URL(entry.meta.url).pathname !== MAIN);
    expect(others.map(entry => entry.meta.freshness)).toEqual([undefined, undefined]);
  });

  test.describe('as no-validators', () => {
    test.use({ siteOptions: { layout: 'flutter', profile: 'no-validators' } });

    test('should fetch an unversioned entry without validators whole, and store it with its freshness', async ({ browser, site, clock, cacheDir, openCache }) => {
      expectBuild((await visit(browser, await openCache(), site)).report, 1);
      await asPreviousRelease(cacheDir);
      clock.advance(SECOND);
      const seen = await visit(browser, await openCache({ revalidate: 'http' }), site);
      expectBuild(seen.report, 1);
      expect(seen.mainResponses).toEqual({ 200: 1 });
      expect(seen.mainConditions).toEqual([{ ifNoneMatch: undefined, ifModifiedSince: undefined }]);
      expect((await storedEntry(cacheDir, MAIN)).meta.freshness).toMatchObject({ kind: 'revalidated', revalidations: 0 });
    });
  });
});

test('should cache bundles fetched with httpCredentials and cookies, send both on the conditional request, and never write them', async ({ browser, site, clock, cacheDir, openCache }) => {
  const password = `canary-${'7'.repeat(12)}`;
  const session = `cookie-canary-${'3'.repeat(12)}`;
  const contextOptions = {
    httpCredentials: { username: 'staging', password, send: 'always' as const },
    storageState: { cookies: [{ name: 'session', value: session, domain: '127.0.0.1', path: '/', expires: -1, httpOnly: true, secure: false, sameSite: 'Lax' as const }], origins: [] },
  };
  const basic = `Basic ${Buffer.from(`staging:${password}`).toString('base64')}`;
  expectBuild((await visit(browser, await openCache(), site, { contextOptions })).report, 1);
  clock.advance(SECOND);
  const cache = await openCache();
  const seen = await visit(browser, cache, site, { contextOptions });
  expectBuild(seen.report, 1);
  expect(seen.mainResponses).toEqual({ 304: 1 });
  const mains = site.requests.filter(request => request.pathname === MAIN);
  expect(mains.map(request => [request.headers.authorization, request.headers.cookie, request.headers['if-none-match'] !== undefined]))
      .toEqual([[basic, `session=${session}`, false], [basic, `session=${session}`, true]]);
  expect(cache.stats()).toMatchObject({ diskHits: 3, revalidated: 1 });
  const files = await listFiles(cacheDir);
  expect(files.filter(file => file.endsWith('.body'))).toHaveLength(3);
  for (const file of files) {
    const bytes = await readFile(path.join(cacheDir, file));
    for (const secret of [password, session, basic, Buffer.from(`staging:${password}`).toString('base64')])
      expect(bytes.includes(secret), `${secret} in ${file}`).toBe(false);
  }
});
