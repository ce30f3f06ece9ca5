import { Build } from './build.js';
import { sha256Hex } from './digest.js';
import { renderPage, type PageManifest } from './page.js';
import type { HeaderMap, Layout, Resource, Snapshot } from './resources.js';

// Firebase Hosting, where many Flutter apps live, revalidates everything;
// `*` lets a second origin load the bundles; nosniff makes the browser refuse
// a script served with a wrong type instead of guessing.
const DEFAULT_HEADERS: HeaderMap = {
  'cache-control': 'no-cache',
  'access-control-allow-origin': '*',
  'x-content-type-options': 'nosniff',
};

// The built bundles are served as long-lived: the tests written before the
// cache revalidated expect "cached until maxAge" for them. The realistic host
// profiles (must-revalidate, max-age=600, …) are the Flutter layout's job.
const BUNDLE_HEADERS: HeaderMap = { ...DEFAULT_HEADERS, 'cache-control': 'public, max-age=31536000, immutable' };

const JS = 'text/javascript; charset=utf-8';

/**
 * The original Flutter-like layout: `/main.dart.js?v=N` from a page that
 * carries Subresource Integrity for everything, CanvasKit from the same
 * origin, no validators. ~300 tests depend on it byte for byte.
 */
export class LegacyLayout implements Layout {
  readonly bundles = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'];
  readonly #build: Build;
  readonly #pages = new Map<number, Buffer>();

  constructor(build: Build) {
    this.#build = build;
  }

  builtIn(pathname: string, { deploy: { version } }: Snapshot): Resource | undefined {
    const build = this.#build;
    switch (pathname) {
      case '/':
      case '/index.html':
        return builtIn(this.#page(version), 'text/html; charset=utf-8');
      case '/flutter_bootstrap.js':
        return builtIn(build.bootstrap(), JS);
      case '/main.dart.js':
        return builtIn(build.mainDartJs(version), JS, BUNDLE_HEADERS);
      case '/canvaskit/canvaskit.js':
        return builtIn(build.canvaskitJs(), JS, BUNDLE_HEADERS);
      case '/canvaskit/canvaskit.wasm':
        return builtIn(build.canvaskitWasm(), 'application/wasm', BUNDLE_HEADERS);
      default:
        return undefined;
    }
  }

  served(body: Buffer, contentType: string): Resource {
    return builtIn(body, contentType);
  }

  #page(version: number): Buffer {
    let page = this.#pages.get(version);
    if (!page) {
      const build = this.#build;
      const manifest: PageManifest = {
        version,
        main: { url: `/main.dart.js?v=${version}`, sha256: sha256Hex(build.mainDartJs(version)) },
        canvaskitJs: { url: '/canvaskit/canvaskit.js', sha256: sha256Hex(build.canvaskitJs()) },
        canvaskitWasm: { url: '/canvaskit/canvaskit.wasm', sha256: sha256Hex(build.canvaskitWasm()) },
      };
      page = Buffer.from(renderPage(manifest));
      this.#pages.set(version, page);
    }
    return page;
  }
}

function builtIn(body: Buffer, contentType: string, headers = DEFAULT_HEADERS): Resource {
  return { body, contentType, headers };
}
