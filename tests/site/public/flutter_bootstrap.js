// The app's loader, in the role of Flutter's flutter_bootstrap.js: loads
// CanvasKit and main.dart.js in parallel, draws one frame, and reports the
// outcome on window.__site and document.title for tests to wait on.
//
// It is stricter than a real app on purpose, so a cache that serves a wrong
// byte or a wrong header breaks the page visibly instead of silently:
// scripts carry Subresource Integrity, and the wasm must stream-compile
// (which requires `application/wasm`) and match its digest. Page URL flags:
//   ?hash=1    also fetch the three bundles and record their SHA-256
//   ?verify=0  skip the digest checks (content types are still enforced)
(() => {
  'use strict';
  const build = window.__siteBuild;
  const params = new URLSearchParams(location.search);
  const verify = params.get('verify') !== '0';
  const wantHashes = params.get('hash') === '1';

  const site = (window.__site = {
    ready: false,
    error: null,
    version: build.version,
    canvaskit: { drew: false, pixel: [] },
    main: { loaded: false, threw: null },
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

  async function sha256Hex(bytes) {
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    return Array.from(digest, b => b.toString(16).padStart(2, '0')).join('');
  }

  function integrityOf(hex) {
    const bytes = hex.match(/../g).map(pair => parseInt(pair, 16));
    return 'sha256-' + btoa(String.fromCharCode(...bytes));
  }

  function loadScript(asset) {
    return new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = asset.url;
      if (verify)
        script.integrity = integrityOf(asset.sha256);
      script.onload = resolve;
      script.onerror = () => reject(new Error(`could not load ${asset.url} (network error, bad status, wrong content type or integrity mismatch)`));
      document.head.appendChild(script);
    });
  }

  // A throw while main.dart.js runs its top level is recorded, not fatal: the
  // bytes arrived intact, which is what this site exists to prove.
  window.addEventListener('error', event => {
    if (event.filename && new URL(event.filename).pathname === '/main.dart.js')
      site.main.threw = String(event.message);
  });

  // Emscripten silently falls back to ArrayBuffer compilation when streaming
  // fails (e.g. a wrong content type); Flutter's loaders do not, and neither
  // does this page. The wasm digest is checked on a tee of the same response.
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    try {
      const response = await source;
      const copy = verify ? response.clone() : null;
      const [result, hex] = await Promise.all([
        instantiateStreaming.call(WebAssembly, response, imports),
        copy && copy.arrayBuffer().then(sha256Hex),
      ]);
      if (verify && hex !== build.canvaskitWasm.sha256)
        throw new Error(`digest ${hex} is not the built ${build.canvaskitWasm.sha256}`);
      return result;
    } catch (error) {
      fail(`canvaskit.wasm: ${error && error.message || error}`);
      throw error;
    }
  };

  async function drawWithCanvasKit() {
    await loadScript(build.canvaskitJs);
    const CanvasKit = await CanvasKitInit({ locateFile: file => '/canvaskit/' + file });
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
    await loadScript(build.main);
    site.main.loaded = true;
    site.timings.mainLoaded = performance.now();
  }

  async function hashBundles() {
    for (const { url } of [build.main, build.canvaskitJs, build.canvaskitWasm]) {
      const response = await fetch(url);
      if (!response.ok)
        throw new Error(`fetching ${url} for its hash returned ${response.status}`);
      site.hashes[url] = await sha256Hex(await response.arrayBuffer());
    }
  }

  (async () => {
    await Promise.all([drawWithCanvasKit(), loadMain()]);
    if (wantHashes)
      await hashBundles();
    if (site.error)
      return;
    site.ready = true;
    site.timings.done = performance.now();
    document.title = 'ready';
  })().catch(error => fail(error && error.message || String(error)));
})();
