// The Flutter layout's loader, in the role of Flutter's flutter.js (the
// first part of every flutter_bootstrap.js; the build's config and the
// `_flutter.loader.load(…)` call follow it). Like Flutter's, it loads an
// unversioned main.dart.js with a script tag and CanvasKit from
// `canvasKitBaseUrl` (a CDN origin, cross-origin with CORS, or the site's
// `canvaskit/`). It draws one frame and reports on window.__site and
// document.title for tests to wait on.
//
// It is stricter than Flutter's on purpose, and reports which build ran:
// - main.dart.js carries Subresource Integrity listing the digest of every
//   build deployed so far, so only exact bytes of some build run; its
//   trailer says which, and a build other than the one index.html announces
//   fails the page as "a stale copy", while corrupt bytes fail it as
//   "could not load";
// - canvaskit.js carries SRI, the wasm must stream-compile (which requires
//   `application/wasm`) and match its digest;
// - a flutter_bootstrap.js of another build than index.html fails it too.
// Page URL flags: ?hash=1 also fetches the three bundles and records their
// SHA-256; ?verify=0 skips the digest checks (`matched` then compares the
// trailer only).
(() => {
  'use strict';
  const flutter = (window._flutter = window._flutter || {});
  flutter.loader = { load: options => run(window.__siteBuild, options) };

  function run(manifest, options) {
    const params = new URLSearchParams(location.search);
    const verify = params.get('verify') !== '0';
    const wantHashes = params.get('hash') === '1';
    const base = new URL(options.config.canvasKitBaseUrl, document.baseURI).href;
    const mainUrl = new URL(flutter.buildConfig.builds[0].mainJsPath, document.baseURI).pathname;

    const site = (window.__site = {
      layout: 'flutter',
      ready: false,
      error: null,
      version: manifest.version,
      bootstrap: { build: Number(options.serviceWorkerSettings.serviceWorkerVersion) },
      canvaskit: { drew: false, pixel: [], baseUrl: base },
      main: { loaded: false, threw: null, build: null, matched: false },
      hashes: {},
      timings: { start: performance.now(), canvaskitReady: null, mainLoaded: null, done: null },
    });

    function fail(reason) {
      if (site.ready || site.error)
        return;
      site.error = reason;
      site.timings.done = performance.now();
      document.title = 'failed: ' + reason;
    }

    const integrityOf = hex => 'sha256-' + btoa(String.fromCharCode(...hex.match(/../g).map(pair => parseInt(pair, 16))));

    async function sha256Hex(bytes) {
      const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
      return Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
    }

    function loadScript(url, digests, attributes = {}) {
      return new Promise((resolve, reject) => {
        const script = document.createElement('script');
        Object.assign(script, attributes);
        script.src = url;
        if (verify)
          script.integrity = digests.map(integrityOf).join(' ');
        script.onload = resolve;
        script.onerror = () => reject(new Error(`could not load ${url} (network error, bad status, wrong content type, CORS, or bytes of no deployed build)`));
        document.head.appendChild(script);
      });
    }

    // A throw while main.dart.js runs its top level is recorded, not fatal:
    // the bytes arrived intact, which is what this site exists to prove.
    window.addEventListener('error', event => {
      if (event.filename && /\/main\.[^/]*js$/.test(new URL(event.filename).pathname))
        site.main.threw = String(event.message);
    });

    // Emscripten silently falls back to ArrayBuffer compilation when
    // streaming fails (e.g. a wrong content type); Flutter's loader does not,
    // and neither does this page. The digest is checked on a tee.
    const instantiateStreaming = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (source, imports) => {
      try {
        const response = await source;
        const copy = verify ? response.clone() : null;
        const [result, hex] = await Promise.all([
          instantiateStreaming.call(WebAssembly, response, imports),
          copy && copy.arrayBuffer().then(sha256Hex),
        ]);
        if (verify && hex !== manifest.canvaskit['canvaskit.wasm'])
          throw new Error(`digest ${hex} is not the built ${manifest.canvaskit['canvaskit.wasm']}`);
        return result;
      } catch (error) {
        fail(`canvaskit.wasm: ${(error && error.message) || error}`);
        throw error;
      }
    };

    async function drawWithCanvasKit() {
      await loadScript(base + 'canvaskit.js', [manifest.canvaskit['canvaskit.js']], { crossOrigin: 'anonymous' });
      const CanvasKit = await CanvasKitInit({ locateFile: file => base + file });
      site.timings.canvaskitReady = performance.now();
      // A software surface: headless Chromium may have no GPU.
      const surface = CanvasKit.MakeSWCanvasSurface('c');
      if (!surface)
        throw new Error('CanvasKit could not create a software surface');
      const paint = new CanvasKit.Paint();
      paint.setColor(CanvasKit.RED);
      surface.getCanvas().drawRect(CanvasKit.LTRBRect(0, 0, 64, 64), paint);
      surface.flush();
      paint.delete();
      // Read back from the visible canvas, not from Skia, to prove the frame landed.
      const canvas = document.getElementById('c');
      site.canvaskit.pixel = Array.from(canvas.getContext('2d').getImageData(32, 32, 1, 1).data);
      if (site.canvaskit.pixel.join() !== '255,0,0,255')
        throw new Error(`CanvasKit drew ${site.canvaskit.pixel.join()} where red was expected`);
      site.canvaskit.drew = true;
    }

    async function loadMain() {
      await loadScript(mainUrl, Object.values(manifest.deployed));
      site.main.loaded = true;
      site.timings.mainLoaded = performance.now();
      const ran = window.__mainDartJsBuild;
      site.main.build = typeof ran === 'number' ? ran : null;
      site.main.matched = site.main.build === manifest.version;
      if (!site.main.matched)
        throw new Error(`main.dart.js is build ${site.main.build}, index.html announces build ${manifest.version} (a stale copy)`);
    }

    async function hashBundles() {
      for (const url of [mainUrl, base + 'canvaskit.js', base + 'canvaskit.wasm']) {
        const response = await fetch(url);
        if (!response.ok)
          throw new Error(`fetching ${url} for its hash returned ${response.status}`);
        site.hashes[url] = await sha256Hex(await response.arrayBuffer());
      }
    }

    (async () => {
      if (site.bootstrap.build !== manifest.version)
        fail(`flutter_bootstrap.js is build ${site.bootstrap.build}, index.html announces build ${manifest.version} (a stale copy)`);
      const settled = await Promise.allSettled([loadMain(), drawWithCanvasKit()]);
      const failure = settled.find(outcome => outcome.status === 'rejected');
      if (failure)
        throw failure.reason;
      if (wantHashes)
        await hashBundles();
      if (site.error)
        return;
      site.ready = true;
      site.timings.done = performance.now();
      document.title = 'ready';
    })().catch(error => fail((error && error.message) || String(error)));
  }
})();
