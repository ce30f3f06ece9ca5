import { createHash, X509Certificate } from 'node:crypto';
import { chromium, request, type APIRequestContext } from 'playwright';
import { test, expect, visit, expectWorkingApp, bundleHits, recordServed } from '../cache/fixtures.js';
import { chromiumLaunchOptions, type BundleCache, type ServedEvent } from '../../../src/index.js';
import { loadApp, siteCertificate, startSite } from '../../site/server.js';

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

test.describe('when Local Network Access keeps a public page from 127.0.0.1', () => {
  // The app is served as http://app.test:<port> (and other.test), an address Chromium is told is public.
  async function publicBrowser(port: string) {
    const options = chromiumLaunchOptions();
    return chromium.launch({ ...options, args: [
      ...options.args,
      '--host-resolver-rules=MAP *.test 127.0.0.1',
      `--ip-address-space-overrides=127.0.0.1:${port}=public`,
      // The page hashes with crypto.subtle, which needs a secure context.
      `--unsafely-treat-insecure-origin-as-secure=http://app.test:${port},http://other.test:${port}`,
    ] });
  }
  const publicUrl = (origin: string, path: string, host = 'app.test') => origin.replace('127.0.0.1', host) + path;

  // Node cannot resolve *.test: fill the cache through a context that asks 127.0.0.1 instead, so every visit is a hit.
  async function warmPublicUrls(cache: BundleCache, origin: string, host = 'app.test') {
    const real = await request.newContext();
    const viaLoopbackIp = { get: (url: string, options: object) => real.get(url.replace(`//${host}:`, '//127.0.0.1:'), options) } as unknown as APIRequestContext;
    for (const path of ['/main.dart.js?v=1', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'])
      expect((await cache.warm(publicUrl(origin, path, host), { request: viaLoopbackIp })).outcome).toBe('stored');
    await real.dispose();
  }

  test('should grant the page origin access and still use loopback', async ({ site, openCache }) => {
    const cache = await openCache();
    await warmPublicUrls(cache, site.origin);
    const served = recordServed(cache);
    const browser = await publicBrowser(new URL(site.origin).port);
    try {
      expectWorkingApp(await visit(browser, cache, publicUrl(site.origin, '/')), site);
      expectWorkingApp(await visit(browser, cache, publicUrl(site.origin, '/?hash=1')), site);
    } finally {
      await browser.close();
    }
    expect(vias(served)).toEqual(['loopback']);
    expect(cache.stats().errors).toBe(0);
  });

  test('should grant Local Network Access once per context and page origin', async ({ site, openCache }) => {
    const cache = await openCache();
    await warmPublicUrls(cache, site.origin);
    await warmPublicUrls(cache, site.origin, 'other.test');
    const served = recordServed(cache);
    const browser = await publicBrowser(new URL(site.origin).port);
    const grants: string[][] = [];
    try {
      for (const hosts of [['app.test', 'app.test', 'other.test', 'app.test'], ['app.test']]) {
        const context = await browser.newContext();
        const calls: string[] = [];
        grants.push(calls);
        const grant = context.grantPermissions.bind(context);
        context.grantPermissions = async (permissions, options) => {
          calls.push(`${permissions.join(',')} for ${options?.origin}`);
          return grant(permissions, options);
        };
        await cache.attach(context);
        // Several pages of one origin in one context, at once and one after another.
        const pages = await Promise.all(hosts.slice(0, 2).map(() => context.newPage()));
        const reports = await Promise.all(pages.map((page, i) => loadApp(page, publicUrl(site.origin, '/?hash=1', hosts[i]))));
        for (const host of hosts.slice(2))
          reports.push(await loadApp(await context.newPage(), publicUrl(site.origin, '/?hash=1', host)));
        reports.forEach(report => expectWorkingApp(report, site));
        await context.close();
      }
    } finally {
      await browser.close();
    }
    const port = new URL(site.origin).port;
    expect(grants).toEqual([
      [`local-network-access for http://app.test:${port}`, `local-network-access for http://other.test:${port}`],
      [`local-network-access for http://app.test:${port}`],
    ]);
    // 5 loads, each asking for its 3 bundles twice (to run them, and again to hash them with ?hash=1).
    expect(served).toHaveLength(30);
    expect(vias(served)).toEqual(['loopback']);
  });

  test('should fulfill when the permission cannot be granted', async ({ site, openCache }) => {
    const cache = await openCache();
    await warmPublicUrls(cache, site.origin);
    const served = recordServed(cache);
    const browser = await publicBrowser(new URL(site.origin).port);
    try {
      for (let i = 0; i < 2; i++) {
        const context = await browser.newContext();
        context.grantPermissions = async () => { throw new Error('Unknown permission: local-network-access'); };
        await cache.attach(context);
        const report = await loadApp(await context.newPage(), publicUrl(site.origin, '/?hash=1'));
        expectWorkingApp(report, site);
        await context.close();
      }
    } finally {
      await browser.close();
    }
    expect(vias(served)).toEqual(['fulfill']);
  });

  test('should notice a blocked loopback request and fulfill from then on', async ({ site, openCache }) => {
    const cache = await openCache();
    await warmPublicUrls(cache, site.origin);
    const problems: string[] = [];
    cache.on('problem', error => problems.push(error.code));
    const browser = await publicBrowser(new URL(site.origin).port);
    try {
      const context = await browser.newContext();
      // Pretend the grant worked: the first hits are blocked, which the cache must notice.
      context.grantPermissions = async () => {};
      await cache.attach(context);
      await loadApp(await context.newPage(), publicUrl(site.origin, '/'));
      await loadApp(await context.newPage(), publicUrl(site.origin, '/'));
      const report = await loadApp(await context.newPage(), publicUrl(site.origin, '/?hash=1'));
      expectWorkingApp(report, site);
      await context.close();
    } finally {
      await browser.close();
    }
    expect(problems).toContain('ERR_LOOPBACK_UNAVAILABLE');
  });
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
