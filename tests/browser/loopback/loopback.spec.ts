import { createHash, X509Certificate } from 'node:crypto';
import { chromium, request } from 'playwright';
import { test, expect, visit, expectWorkingApp, bundleHits, recordServed } from '../cache/fixtures.js';
import { chromiumLaunchOptions, type BundleCache, type ServedEvent } from '../../../src/index.js';
import { siteCertificate, startSite } from '../../site/server.js';

const vias = (events: ServedEvent[]) => [...new Set(events.map(event => event.via))];

test('should serve hits byte-exact through the loopback server', async ({ browser, site, openCache }) => {
  const cache = await openCache();
  const served = recordServed(cache);
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
  expect(vias(served)).toEqual(['loopback']);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 1, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
  expect(cache.stats()).toMatchObject({ misses: 3, errors: 0 });
});

test('should fulfill through the DevTools protocol with serve: fulfill', async ({ browser, site, openCache }) => {
  const cache = await openCache({ serve: 'fulfill' });
  const served = recordServed(cache);
  expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
  expect(vias(served)).toEqual(['fulfill']);
});

test.describe('over https', () => {
  test.use({ siteOptions: { https: true } });

  test('should use loopback with TLS when the context ignores HTTPS errors', async ({ browser, site, openCache }) => {
    const cache = await openCache();
    const served = recordServed(cache);
    expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1', { ignoreHTTPSErrors: true }), site);
    expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1', { ignoreHTTPSErrors: true }), site);
    expect(vias(served)).toEqual(['loopback']);
  });

  test('should fall back to fulfill when the context checks certificates', async ({ site, openCache }) => {
    const cache = await openCache();
    await warmOverSelfSignedTls(cache, site.origin);
    const served = recordServed(cache);
    // This browser trusts the site's own certificate, and only it.
    const browser = await chromium.launch({ ...chromiumLaunchOptions(), args: [...chromiumLaunchOptions().args, `--ignore-certificate-errors-spki-list=${spki(siteCertificate())}`] });
    try {
      expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
      expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
    } finally {
      await browser.close();
    }
    expect(vias(served)).toEqual(['fulfill']);
  });

  test('should use loopback with TLS in a checking context launched with httpsLaunchArgs()', async ({ site, openCache }) => {
    const cache = await openCache({ serve: 'loopback' });
    await warmOverSelfSignedTls(cache, site.origin);
    const served = recordServed(cache);
    const [cacheArg] = await cache.httpsLaunchArgs();
    const browser = await chromium.launch({ ...chromiumLaunchOptions(), args: [...chromiumLaunchOptions().args, `${cacheArg},${spki(siteCertificate())}`] });
    try {
      expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
      expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
    } finally {
      await browser.close();
    }
    expect(vias(served)).toEqual(['loopback']);
    expect(cache.stats().errors).toBe(0);
  });
});

test('should keep CORS semantics for cross-origin scripts and wasm streaming', async ({ browser, site, openCache }) => {
  // The app on one origin loads the bundles from another (localhost vs 127.0.0.1, and another port).
  const page = await startSite({ host: '127.0.0.1' });
  const bundles = site.origin.replace('127.0.0.1', 'localhost');
  page.serve('/cors.html', `<!doctype html><script>
    window.result = (async () => {
      const out = {};
      const script = document.createElement('script');
      script.crossOrigin = 'anonymous';
      script.src = '${bundles}/main.dart.js?v=1';
      out.script = await new Promise(resolve => { script.onload = () => resolve('loaded'); script.onerror = () => resolve('error'); document.head.append(script); });
      const module = await WebAssembly.compileStreaming(fetch('${bundles}/canvaskit/canvaskit.wasm'));
      out.wasmImports = WebAssembly.Module.imports(module).length;
      const bytes = await (await fetch('${bundles}/canvaskit/canvaskit.js', { mode: 'cors' })).arrayBuffer();
      out.sha = [...new Uint8Array(await crypto.subtle.digest('SHA-256', bytes))].map(b => b.toString(16).padStart(2, '0')).join('');
      return out;
    })();
  </script>`, 'text/html');
  try {
    const cache = await openCache();
    const served = recordServed(cache);
    const results = [];
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext();
      await cache.attach(context);
      const tab = await context.newPage();
      await tab.goto(`${page.origin}/cors.html`);
      results.push(await tab.evaluate(() => (window as unknown as { result: Promise<unknown> }).result));
      await context.close();
    }
    const expected = { script: 'loaded', wasmImports: expect.any(Number), sha: site.sha256('/canvaskit/canvaskit.js') };
    expect(results).toEqual([expected, expected]);
    expect(served.filter(event => event.source === 'memory').map(event => event.via)).toEqual(['loopback', 'loopback', 'loopback']);

    // Without Access-Control-Allow-Origin the cached script must be refused, as the origin's would be.
    site.setHeaders('/main.dart.js', { 'access-control-allow-origin': 'https://not-this-page.example' });
    site.setVersion(2);
    page.serve('/cors.html', `<!doctype html><script>
      window.result = new Promise(resolve => { const s = document.createElement('script'); s.crossOrigin = 'anonymous';
        s.src = '${bundles}/main.dart.js?v=2'; s.onload = () => resolve('loaded'); s.onerror = () => resolve('error'); document.head.append(s); });
    </script>`, 'text/html');
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext();
      await cache.attach(context);
      const tab = await context.newPage();
      await tab.goto(`${page.origin}/cors.html`);
      expect(await tab.evaluate(() => (window as unknown as { result: Promise<unknown> }).result), `visit ${i}`).toBe('error');
      await context.close();
    }
    expect(site.hits('/main.dart.js')).toBe(2);
  } finally {
    await page.close();
  }
});

/** Fills the cache without route.fetch, which (in Node) would refuse the site's self-signed certificate. */
async function warmOverSelfSignedTls(cache: BundleCache, origin: string): Promise<void> {
  const context = await request.newContext({ ignoreHTTPSErrors: true });
  for (const path of ['/main.dart.js?v=1', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'])
    expect((await cache.warm(origin + path, { request: context })).outcome).toBe('stored');
  await context.dispose();
}

function spki(certificatePem: string): string {
  return createHash('sha256').update(new X509Certificate(certificatePem).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

test('should fulfill for a browser reached with connect(), whose 127.0.0.1 may be another machine', async ({ site, openCache }) => {
  const server = await chromium.launchServer(chromiumLaunchOptions());
  const browser = await chromium.connect(server.wsEndpoint());
  try {
    const cache = await openCache();
    const served = recordServed(cache);
    expectWorkingApp(await visit(browser, cache, site.pageUrl), site);
    expectWorkingApp(await visit(browser, cache, site.pageUrl + '?hash=1'), site);
    expect(vias(served)).toEqual(['fulfill']);
    expect(cache.stats()).toMatchObject({ misses: 3, errors: 0 });
  } finally {
    await browser.close();
    await server.close();
  }
});
