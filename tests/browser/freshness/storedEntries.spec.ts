import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../../helpers/tempDir.js';
import { MAIN, SECOND, expect, expectBuild, test, visit } from './fixtures.js';

// A context's httpCredentials and cookies go with the check and never to
// disk. A cache dir of the release before revalidation: tests/unit/warm/storedEntries.spec.ts.

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
