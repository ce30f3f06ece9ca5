import { Build } from './build.js';
import { sha256Hex } from './digest.js';
import { assertPathname } from './faults.js';
import { renderPage, type PageManifest } from './page.js';

export type HeaderMap = Record<string, string | string[]>;

/** What a path serves: decoded bytes, their type, and response headers. */
export interface Resource {
  readonly body: Buffer;
  readonly contentType: string;
  readonly headers: HeaderMap;
}

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
 * The site's URL space: the built app, plus resources added or replaced with
 * `serve()`, plus extra headers from `setHeaders()`. A replaced bundle is
 * served as given, but the page still expects the built bytes, exactly as
 * when a CDN or cache hands out something other than what was deployed.
 */
export class Resources {
  readonly #build = new Build();
  readonly #served = new Map<string, Resource>();
  readonly #extraHeaders = new Map<string, HeaderMap>();
  readonly #pages = new Map<number, Buffer>();

  resolve(pathname: string, version: number): Resource | undefined {
    const resource = this.#served.get(pathname) ?? this.#builtIn(pathname, version);
    if (!resource)
      return undefined;
    const extra = this.#extraHeaders.get(pathname);
    return extra ? { ...resource, headers: { ...resource.headers, ...lowerCaseKeys(extra) } } : resource;
  }

  serve(pathname: string, body: Buffer | string, contentType: string, headers: HeaderMap = {}): void {
    assertPathname(pathname);
    if (!contentType)
      throw new TypeError(`serve(${pathname}): a content type is required, e.g. 'text/javascript'`);
    const bytes = typeof body === 'string' ? Buffer.from(body) : body;
    this.#served.set(pathname, { body: bytes, contentType, headers: { ...DEFAULT_HEADERS, ...lowerCaseKeys(headers) } });
  }

  setHeaders(pathname: string, headers: HeaderMap): void {
    assertPathname(pathname);
    this.#extraHeaders.set(pathname, headers);
  }

  #builtIn(pathname: string, version: number): Resource | undefined {
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

function lowerCaseKeys(headers: HeaderMap): HeaderMap {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
