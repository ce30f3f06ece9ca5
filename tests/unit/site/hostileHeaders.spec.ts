import { rawRequest } from '../../site/client.js';
import { startSite } from '../../site/server.js';
import { expect, headerLines, test } from './siteFixture.js';

const MAIN = '/main.dart.js';

test.describe('hostile validator headers', () => {
  test('should send a 100 KB ETag exactly as set, and answer it with a 304', async ({ site }) => {
    const etag = `"${'a'.repeat(100 * 1024)}"`;
    site.setHeaders(MAIN, { ETag: etag });
    const res = await rawRequest(site.origin + MAIN);
    expect(headerLines(res.rawHeaders, 'etag')).toEqual([etag]);
    expect(site.responseHeaders(MAIN).etag).toBe(etag);
    const revalidated = await rawRequest(site.origin + MAIN, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.etag).toBe(etag);
    expect(site.responses(MAIN)).toEqual({ 200: 1, 304: 1 });
  });

  test('should send an invalid Last-Modified as set and ignore If-Modified-Since against it', async ({ site }) => {
    site.setProfile('nginx');
    site.setHeaders(MAIN, { 'Last-Modified': 'not a date at all' });
    const res = await rawRequest(site.origin + MAIN);
    expect(headerLines(res.rawHeaders, 'last-modified')).toEqual(['not a date at all']);
    const since = await rawRequest(site.origin + MAIN, { headers: { 'if-modified-since': 'Fri, 31 Dec 9999 23:59:59 GMT' } });
    expect(since.status).toBe(200);
    // The ETag still works.
    expect((await rawRequest(site.origin + MAIN, { headers: { 'if-none-match': res.headers.etag! } })).status).toBe(304);
  });

  for (const cacheControl of ['max-age=-1', 'max-age=99999999999', 'max-age=600, no-cache, max-age=0']) {
    test(`should send Cache-Control: ${cacheControl} as set`, async ({ site }) => {
      site.setHeaders(MAIN, { 'cache-control': cacheControl });
      const res = await rawRequest(site.origin + MAIN);
      expect(headerLines(res.rawHeaders, 'cache-control')).toEqual([cacheControl]);
      const etag = res.headers.etag!;
      const revalidated = await rawRequest(site.origin + MAIN, { headers: { 'if-none-match': etag } });
      expect(headerLines(revalidated.rawHeaders, 'cache-control')).toEqual([cacheControl]);
    });
  }

  test('should send an array as repeated header lines, on a 200 and a 304', async ({ site }) => {
    site.setHeaders(MAIN, { 'Cache-Control': ['max-age=31536000, immutable', 'no-store'] });
    const res = await rawRequest(site.origin + MAIN);
    expect(headerLines(res.rawHeaders, 'cache-control')).toEqual(['max-age=31536000, immutable', 'no-store']);
    // Node's parser joins them; the wire had two lines.
    expect(res.headers['cache-control']).toBe('max-age=31536000, immutable, no-store');
    const revalidated = await rawRequest(site.origin + MAIN, { headers: { 'if-none-match': res.headers.etag! } });
    expect(revalidated.status).toBe(304);
    expect(headerLines(revalidated.rawHeaders, 'cache-control')).toEqual(['max-age=31536000, immutable', 'no-store']);
  });

  test('should match any of two ETag lines and send both', async ({ site }) => {
    site.setHeaders(MAIN, { etag: ['"one"', '"two"'] });
    const res = await rawRequest(site.origin + MAIN, { headers: { 'if-none-match': 'W/"two"' } });
    expect(res.status).toBe(304);
    expect(headerLines(res.rawHeaders, 'etag')).toEqual(['"one"', '"two"']);
  });

  test('should never weaken or rewrite a test\'s ETag, Expires or Date', async () => {
    const site = await startSite({ layout: 'flutter', profile: 'github-pages', gzip: true });
    try {
      site.setHeaders(MAIN, { 'etag': '"mine"', 'expires': '0', 'date': 'Thu, 01 Jan 1970 00:00:00 GMT' });
      const res = await rawRequest(site.origin + MAIN, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.headers['content-encoding']).toBe('gzip');
      expect(headerLines(res.rawHeaders, 'etag')).toEqual(['"mine"']);
      expect(headerLines(res.rawHeaders, 'expires')).toEqual(['0']);
      expect(headerLines(res.rawHeaders, 'date')).toEqual(['Thu, 01 Jan 1970 00:00:00 GMT']);
    } finally {
      await site.close();
    }
  });

  test('should give the legacy layout working validators once a test sets them', async () => {
    const site = await startSite();
    try {
      expect((await rawRequest(site.origin + MAIN, { headers: { 'if-none-match': '"x"' } })).status).toBe(200);
      site.setHeaders(MAIN, { 'etag': '"legacy-1"', 'last-modified': 'Wed, 15 Jan 2025 12:00:00 GMT' });
      const tagged = await rawRequest(site.origin + MAIN + '?v=1', { headers: { 'if-none-match': '"legacy-1"' } });
      expect(tagged.status).toBe(304);
      expect(tagged.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const dated = await rawRequest(site.origin + MAIN, { headers: { 'if-modified-since': 'Wed, 15 Jan 2025 12:00:00 GMT' } });
      expect(dated.status).toBe(304);
      expect(site.responses(MAIN)).toEqual({ 200: 1, 304: 2 });
    } finally {
      await site.close();
    }
  });

  test('should reject headers Node could not send, where they are set', async ({ site }) => {
    expect(() => site.setHeaders(MAIN, { 'bad name': 'x' })).toThrow(/"bad name" is not a header Node can send/);
    expect(() => site.setHeaders(MAIN, { etag: '"a"\r\nx-injected: 1' })).toThrow(/no CR or LF/);
    expect(() => site.serve('/x.js', 'x', 'text/javascript', { etag: ['"a"', 'b\n'] })).toThrow(/not a header Node can send/);
  });
});
