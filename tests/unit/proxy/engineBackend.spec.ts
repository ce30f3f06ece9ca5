import { test, expect } from '@playwright/test';
import { BundleCache } from '../../../src/cache/bundleCache.js';
import type { ServedEvent } from '../../../src/types.js';
import { startSite } from '../../site/server.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { listFiles } from '../../helpers/tempDir.js';
import { viaProxy } from './harness.js';

for (const https of [false, true]) {
  test(`should serve bundles from the same engine as the route (${https ? 'https' : 'http'})`, async () => {
    const dir = await makeTempDir();
    const site = await startSite({ https });
    const cache = await BundleCache.open({ dir });
    const served: ServedEvent[] = [];
    cache.on('served', event => served.push(event));
    try {
      const proxy = await cache.proxy({ port: 0, ignoreHTTPSErrors: true });
      const url = `${site.origin}/main.dart.js?v=1`;
      const first = await viaProxy(proxy.url, url, { ca: proxy.caCertificate });
      const second = await viaProxy(proxy.url, url, { ca: proxy.caCertificate });
      expect(first.body.equals(site.body('/main.dart.js'))).toBe(true);
      expect(second.body.equals(first.body)).toBe(true);
      expect(site.hits('/main.dart.js')).toBe(1);
      // The page itself is no bundle: passed through, every time.
      expect((await viaProxy(proxy.url, site.pageUrl, { ca: proxy.caCertificate })).status).toBe(200);
      expect(served.map(event => [event.source, event.stored, event.via])).toEqual([['network', true, 'proxy'], ['memory', false, 'proxy']]);
      expect(cache.stats()).toMatchObject({ requests: 3, misses: 1, memoryHits: 1, bypassed: 1 });
      expect(proxy.stats()).toMatchObject({ fromCache: 2, passedThrough: 1, intercepted: https ? 3 : 0 });
      expect((await listFiles(dir)).filter(file => file.endsWith('.meta.json'))).toHaveLength(1);
    } finally {
      await cache.close();
      await site.close();
      await removeDir(dir);
    }
  });
}

test('should follow redirects as the route does, and fail offline misses with the fix', async () => {
  const dir = await makeTempDir();
  const site = await startSite();
  try {
    site.redirect('/main.dart.js', 'versioned');
    const cache = await BundleCache.open({ dir });
    const proxy = await cache.proxy({ port: 0 });
    const response = await viaProxy(proxy.url, `${site.origin}/main.dart.js`);
    expect(response.status).toBe(200);
    expect(response.body.equals(site.body('/main.dart.js'))).toBe(true);
    await cache.close();
    // Closing the cache closed its proxy.
    await expect(viaProxy(proxy.url, `${site.origin}/main.dart.js`)).rejects.toThrow(/ECONNREFUSED/);

    const offline = await BundleCache.open({ dir, mode: 'offline' });
    const offlineProxy = await offline.proxy({ port: 0 });
    const miss = await viaProxy(offlineProxy.url, `${site.origin}/canvaskit/canvaskit.wasm`);
    expect(miss.status).toBe(504);
    expect(miss.body.toString()).toContain('bundle-cache warm');
    await offline.close();
  } finally {
    await site.close();
    await removeDir(dir);
  }
});

test('should reject bad proxy options where they are given', async () => {
  const dir = await makeTempDir();
  const cache = await BundleCache.open({ dir });
  try {
    await expect(cache.proxy({ port: 70000 })).rejects.toThrow(/Invalid proxy option "port".*70000/);
    await expect(cache.proxy({ hosts: ['https://app.example.com/'] })).rejects.toThrow(/Invalid proxy option "hosts.0": expected host names/);
    const first = await cache.proxy({ port: 0 });
    await expect(cache.proxy({ port: first.port })).rejects.toMatchObject({ code: 'ERR_PROXY_LISTEN', message: expect.stringContaining('in use') });
  } finally {
    await cache.close();
    await removeDir(dir);
  }
});
