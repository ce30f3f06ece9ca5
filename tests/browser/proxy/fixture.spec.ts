import { test, expect } from '../../../src/test/index.js';
import { loadApp, startSite, type Site } from '../../site/server.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

// The whole worker goes through the proxy: the browser is launched with it.
const dir = await makeTempDir('bundle-cache-proxy-fixture-');
// The test site's certificate is self-signed: the proxy is told to accept it, as for a staging host.
test.use({ bundleCache: { dir }, bundleCacheVia: 'proxy', bundleCacheProxy: { ignoreHTTPSErrors: true } });
test.afterAll(async () => removeDir(dir));

for (const https of [false, true]) {
  test(`should serve the page's bundles through the proxy instead of the route (${https ? 'https' : 'http'})`, async ({ browser, bundleCacheInstance, _bundleCacheProxy }) => {
    const site: Site = await startSite({ https });
    try {
      // Two fresh contexts, as two tests get: the second downloads no bundle.
      for (let visit = 0; visit < 2; visit++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        const report = await loadApp(page, `${site.pageUrl}?hash=1`);
        expect(report.error, `visit ${visit}`).toBeNull();
        expect(report.hashes['/main.dart.js?v=1']).toBe(site.sha256('/main.dart.js', 1));
        await context.close();
      }
      expect(site.hits('/main.dart.js')).toBe(1);
      expect(site.hits('/canvaskit/canvaskit.wasm')).toBe(1);
      expect(_bundleCacheProxy!.stats().fromCache).toBeGreaterThanOrEqual(6);
      expect(bundleCacheInstance.stats().misses).toBeGreaterThanOrEqual(3);
    } finally {
      await site.close();
    }
  });
}
