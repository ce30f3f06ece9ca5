import type { BrowserContext } from 'playwright';
import { sha256Hex } from '../../site/digest.js';
import { test, expect, recordServed } from '../cache/fixtures.js';
import { LoopbackServer } from '../../../src/loopback/loopbackServer.js';
import type { ServedEvent } from '../../../src/index.js';
import type { BundleCacheInternals } from '../../../src/cache/bundleCache.js';

// Requests whose page the cache cannot name (a service worker's, a page or frame at
// about:blank) get no Local Network Access grant, so they must never be sent to 127.0.0.1.

const HEX = 'b => [...new Uint8Array(b)].map(x => x.toString(16).padStart(2, "0")).join("")';

const SERVICE_WORKER = `
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));
self.addEventListener('message', event => event.waitUntil((async () => {
  const bytes = await (await fetch(event.data)).arrayBuffer();
  event.source.postMessage({ url: event.data, sha256: (${HEX})(await crypto.subtle.digest('SHA-256', bytes)) });
})()));`;

const WORKER_PAGE = `<!doctype html><script>
window.result = (async () => {
  const hash = async response => (${HEX})(await crypto.subtle.digest('SHA-256', await response.arrayBuffer()));
  const page = await hash(await fetch('/main.dart.js?v=1'));
  const registration = await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
  const worker = registration.active;
  const reply = new Promise(resolve => navigator.serviceWorker.addEventListener('message', event => resolve(event.data), { once: true }));
  worker.postMessage('/canvaskit/canvaskit.wasm');
  return { page, worker: (await reply).sha256 };
})();
</script>`;

/** A cache whose loopback server the test keeps, to count what reached it. */
function withLoopback(): { internals: BundleCacheInternals; loopback: () => LoopbackServer } {
  let server: LoopbackServer | undefined;
  return {
    internals: { loopbackServer: certificate => server = new LoopbackServer(certificate) },
    loopback: () => server!,
  };
}

const byPath = (events: ServedEvent[]) => events.map(event => [new URL(event.url).pathname, event.source, event.via]);

async function inContext<T>(context: BrowserContext, work: (context: BrowserContext) => Promise<T>): Promise<T> {
  try {
    return await work(context);
  } finally {
    await context.close();
  }
}

test('should fulfill a service worker\'s requests while the page\'s own go through loopback', async ({ browser, site, openCache }) => {
  site.serve('/worker.html', WORKER_PAGE, 'text/html');
  site.serve('/sw.js', SERVICE_WORKER, 'text/javascript');
  const { internals, loopback } = withLoopback();
  const cache = await openCache({}, internals);
  const served = recordServed(cache);
  const expected = { page: site.sha256('/main.dart.js'), worker: site.sha256('/canvaskit/canvaskit.wasm') };
  for (let visit = 0; visit < 2; visit++) {
    const result = await inContext(await browser.newContext(), async context => {
      await cache.attach(context);
      const page = await context.newPage();
      await page.goto(`${site.origin}/worker.html`);
      return page.evaluate(() => (window as unknown as { result: Promise<unknown> }).result);
    });
    expect(result, `visit ${visit}`).toEqual(expected);
  }
  // The cache saw the worker's request (it was stored, then hit), and fulfilled it both times.
  expect(byPath(served)).toEqual([
    ['/main.dart.js', 'network', 'loopback'],
    ['/canvaskit/canvaskit.wasm', 'network', 'fulfill'],
    ['/main.dart.js', 'memory', 'loopback'],
    ['/canvaskit/canvaskit.wasm', 'memory', 'fulfill'],
  ]);
  // The loopback server was asked for the page's two responses and nothing else.
  expect(loopback().counts).toEqual({ received: 2, served: 2, refused: 0 });
  expect(site.hits('/canvaskit/canvaskit.wasm')).toBe(1);
});

test('should fulfill requests of a page or a frame at about:blank', async ({ browser, site, openCache }) => {
  site.setHeaders('/canvaskit/canvaskit.js', { 'access-control-allow-origin': '*' });
  site.serve('/with-blank-frame.html', '<!doctype html><iframe src="about:blank"></iframe>', 'text/html');
  const { internals, loopback } = withLoopback();
  const cache = await openCache({}, internals);
  expect((await cache.warm(`${site.origin}/canvaskit/canvaskit.js`)).outcome).toBe('stored');
  expect((await cache.warm(`${site.origin}/main.dart.js?v=1`)).outcome).toBe('stored');
  const served = recordServed(cache);
  const hashIn = `async url => (${HEX})(await crypto.subtle.digest('SHA-256', await (await fetch(url)).arrayBuffer()))`;
  const hashes = await inContext(await browser.newContext(), async context => {
    await cache.attach(context);
    // A new page is at about:blank: its fetch is cross-origin (hence the CORS header above), and it is
    // no secure context, so no crypto.subtle there: its bytes are hashed here.
    const blank = await context.newPage();
    expect(blank.url()).toBe('about:blank');
    const base64 = await blank.evaluate(async url => {
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      let text = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(text);
    }, `${site.origin}/canvaskit/canvaskit.js`);
    const fromBlankPage = sha256Hex(Buffer.from(base64, 'base64'));
    const page = await context.newPage();
    await page.goto(`${site.origin}/with-blank-frame.html`);
    const frame = page.frames().find(candidate => candidate !== page.mainFrame())!;
    expect(frame.url()).toBe('about:blank');
    const fromBlankFrame = await frame.evaluate(`(${hashIn})('${site.origin}/main.dart.js?v=1')`);
    // The same context, from the page itself: loopback is on here.
    const fromPage = await page.evaluate(`(${hashIn})('/main.dart.js?v=1')`);
    return { fromBlankPage, fromBlankFrame, fromPage };
  });
  const main = site.sha256('/main.dart.js');
  expect(hashes).toEqual({ fromBlankPage: site.sha256('/canvaskit/canvaskit.js'), fromBlankFrame: main, fromPage: main });
  expect(byPath(served)).toEqual([
    ['/canvaskit/canvaskit.js', 'memory', 'fulfill'],
    ['/main.dart.js', 'memory', 'fulfill'],
    ['/main.dart.js', 'memory', 'loopback'],
  ]);
  expect(loopback().counts).toEqual({ received: 1, served: 1, refused: 0 });
});
