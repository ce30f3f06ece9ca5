import { filesContaining } from '../../helpers/tempDir.js';
import { MAIN, bundleUrls, expect, test, warmOnce } from './fixtures.js';

// A response that varies on a request header: variants kept apart, and the
// header's value never written (only its digest).

test.use({ siteOptions: {} });

test('should keep variants apart by a Vary header without writing its value', async ({ site, cacheDir, openRun }) => {
  site.setHeaders(MAIN, { 'vary': 'X-Api-Key' });
  const run = await openRun();
  const url = bundleUrls(site).main;
  const withKey = (key: string) => ({ headers: { 'X-Api-Key': key } });
  expect((await warmOnce(run, url, withKey('CANARY-KEY-ONE'))).source).toBe('stored');
  expect((await warmOnce(run, url, withKey('CANARY-KEY-ONE'))).source).toBe('memory');
  expect(site.hits(MAIN)).toBe(1);
  expect((await warmOnce(run, url, withKey('CANARY-KEY-TWO'))).source).toBe('stored');
  expect(site.hits(MAIN)).toBe(2);
  expect(site.requests.map(request => request.headers['x-api-key'])).toEqual(['CANARY-KEY-ONE', 'CANARY-KEY-TWO']);
  await run.cache.close();
  expect(await filesContaining(cacheDir, 'CANARY-KEY')).toEqual([]);
});
