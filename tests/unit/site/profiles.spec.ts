import { rawRequest } from '../../site/client.js';
import { formatHttpDate } from '../../site/httpDate.js';
import { ORIGIN_PROFILES, startSite, type OriginProfile } from '../../site/server.js';
import { ManualClock, expect, test } from './siteFixture.js';

interface Expected {
  readonly cacheControl: string | undefined;
  readonly etag: RegExp | undefined;
  readonly lastModified: boolean;
  readonly expiresInSec: number | undefined;
  readonly cors: boolean;
}

const CONTENT_ETAG = /^"[0-9a-f]{32}"$/;
const MTIME_ETAG = /^"[0-9a-f]+-[0-9a-f]+"$/;
const EXPECTED: Record<OriginProfile, Expected> = {
  'netlify': { cacheControl: 'public, max-age=0, must-revalidate', etag: CONTENT_ETAG, lastModified: false, expiresInSec: undefined, cors: false },
  'github-pages': { cacheControl: 'max-age=600', etag: MTIME_ETAG, lastModified: true, expiresInSec: 600, cors: true },
  'firebase': { cacheControl: 'max-age=3600', etag: /^"[0-9a-f]{64}"$/, lastModified: false, expiresInSec: undefined, cors: false },
  'nginx': { cacheControl: undefined, etag: MTIME_ETAG, lastModified: true, expiresInSec: undefined, cors: false },
  'no-validators': { cacheControl: undefined, etag: undefined, lastModified: false, expiresInSec: undefined, cors: false },
  'no-cache': { cacheControl: 'no-cache', etag: CONTENT_ETAG, lastModified: false, expiresInSec: undefined, cors: false },
};

const clock = new ManualClock();
const FILES = ['/flutter_bootstrap.js', '/main.dart.js', '/canvaskit/canvaskit.wasm'];

for (const profile of ORIGIN_PROFILES) {
  test.describe(`profile ${profile}`, () => {
    const expected = EXPECTED[profile];
    test.use({ siteOptions: { layout: 'flutter', profile, clock: clock.read } });

    test('should send the host\'s headers for the build\'s files', async ({ site }) => {
      for (const pathname of FILES) {
        const res = await rawRequest(site.origin + pathname);
        expect(res.status).toBe(200);
        expect(res.headers['cache-control'], pathname).toBe(expected.cacheControl);
        expect(res.headers['date']).toBe(formatHttpDate(clock.now));
        if (expected.etag)
          expect(res.headers.etag, pathname).toMatch(expected.etag);
        else
          expect(res.headers.etag, pathname).toBeUndefined();
        expect(res.headers['last-modified']).toBe(expected.lastModified ? site.deployment.lastModified : undefined);
        expect(res.headers.expires).toBe(expected.expiresInSec === undefined ? undefined : formatHttpDate(clock.now + expected.expiresInSec * 1000));
        expect(res.headers['access-control-allow-origin']).toBe(expected.cors ? '*' : undefined);
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.body.equals(site.body(pathname))).toBe(true);
      }
    });

    test('should serve index.html no-cache with the profile\'s validators', async ({ site }) => {
      const res = await rawRequest(site.pageUrl);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers.expires).toBeUndefined();
      expect(res.headers.etag).toBe(site.responseHeaders('/').etag);
      expect(res.headers['last-modified']).toBe(expected.lastModified ? site.deployment.lastModified : undefined);
    });

    test('should answer a matching If-None-Match with a bodiless 304 carrying the refreshable headers', async ({ site }) => {
      site.resetCounters();
      for (const pathname of ['/', ...FILES]) {
        const first = await rawRequest(site.origin + pathname);
        clock.advance(5000);
        const etag = first.headers.etag ?? '"none"';
        const res = await rawRequest(site.origin + pathname, { headers: { 'if-none-match': etag } });
        if (!expected.etag) {
          expect(res.status, pathname).toBe(200);
          continue;
        }
        expect(res.status, pathname).toBe(304);
        expect(res.body.length).toBe(0);
        expect(res.headers['content-length']).toBeUndefined();
        expect(res.headers['content-type']).toBeUndefined();
        expect(res.headers.etag).toBe(first.headers.etag);
        expect(res.headers['cache-control']).toBe(first.headers['cache-control']);
        expect(res.headers['last-modified']).toBe(first.headers['last-modified']);
        expect(res.headers.date).toBe(formatHttpDate(clock.now));
        expect(res.headers.expires).toBe(first.headers.expires && formatHttpDate(clock.now + 600_000));
        expect(res.headers['access-control-allow-origin']).toBe(first.headers['access-control-allow-origin']);
      }
      const full = site.body('/main.dart.js').length;
      expect(site.responses('/main.dart.js')).toEqual(expected.etag ? { 200: 1, 304: 1 } : { 200: 2 });
      expect(site.bytesSent('/main.dart.js')).toBe(expected.etag ? full : 2 * full);
    });

    test('should answer If-Modified-Since only where the profile sends Last-Modified', async ({ site }) => {
      const since = { 'if-modified-since': site.deployment.lastModified };
      const res = await rawRequest(site.origin + '/main.dart.js', { headers: since });
      expect(res.status).toBe(expected.lastModified ? 304 : 200);
      const before = { 'if-modified-since': formatHttpDate(site.deployment.deployedAt - 1000) };
      expect((await rawRequest(site.origin + '/main.dart.js', { headers: before })).status).toBe(200);
    });
  });
}

test.describe('profiles', () => {
  test('should default the Flutter layout to netlify and switch at runtime', async ({ site }) => {
    expect(site.profile).toBe('netlify');
    const netlify = await rawRequest(site.origin + '/main.dart.js');
    site.setProfile('github-pages');
    expect(site.profile).toBe('github-pages');
    const pages = await rawRequest(site.origin + '/main.dart.js');
    expect(netlify.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    expect(pages.headers['cache-control']).toBe('max-age=600');
    expect(pages.headers.etag).not.toBe(netlify.headers.etag);
    // The old profile's validator no longer matches: the new host has other ETags.
    const res = await rawRequest(site.origin + '/main.dart.js', { headers: { 'if-none-match': netlify.headers.etag! } });
    expect(res.status).toBe(200);
  });

  test('should turn nginx-style ETags weak when gzipping, and still match them', async () => {
    const site = await startSite({ layout: 'flutter', profile: 'nginx', gzip: true });
    try {
      const gzip = { 'accept-encoding': 'gzip' };
      const identity = await rawRequest(site.origin + '/main.dart.js');
      const zipped = await rawRequest(site.origin + '/main.dart.js', { headers: gzip });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.etag).toBe(`W/${identity.headers.etag}`);
      expect(zipped.headers.vary).toBe('accept-encoding');
      for (const etag of [identity.headers.etag!, zipped.headers.etag!]) {
        const res = await rawRequest(site.origin + '/main.dart.js', { headers: { ...gzip, 'if-none-match': etag } });
        expect(res.status).toBe(304);
        expect(res.headers.vary).toBe('accept-encoding');
        expect(res.headers.etag).toBe(zipped.headers.etag);
      }
      // Content-addressed hosts keep the strong tag.
      site.setProfile('netlify');
      const netlify = await rawRequest(site.origin + '/main.dart.js', { headers: gzip });
      expect(netlify.headers.etag).toMatch(CONTENT_ETAG);
    } finally {
      await site.close();
    }
  });

  test('should reject unknown profiles and profiles on the legacy layout', async ({ site }) => {
    expect(() => site.setProfile('vercel' as OriginProfile)).toThrow(/Unknown origin profile "vercel"; use one of 'netlify'/);
    await expect(startSite({ layout: 'flutter', profile: 'apache' as OriginProfile })).rejects.toThrow(/Unknown origin profile/);
    await expect(startSite({ profile: 'nginx' })).rejects.toThrow(/Flutter layout only/);
    const legacy = await startSite();
    try {
      expect(legacy.profile).toBeUndefined();
      expect(() => legacy.setProfile('nginx')).toThrow(/legacy layout has fixed headers/);
    } finally {
      await legacy.close();
    }
  });
});
