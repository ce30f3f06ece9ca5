import { chromium, request, type APIRequestContext } from 'playwright';
import { test, expect, visit, expectWorkingApp, recordServed } from '../cache/fixtures.js';
import { chromiumLaunchOptions, type BundleCache, type ServedEvent } from '../../../src/index.js';
import { loadApp } from '../../site/server.js';

const vias = (events: ServedEvent[]) => [...new Set(events.map(event => event.via))];

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
