import { Build, reportingTrailer } from '../build.js';
import type { Deploy } from '../deploys.js';
import { sha256Hex } from '../digest.js';
import { hostHeaders } from '../profiles.js';
import type { Layout, Resource, Snapshot } from '../resources.js';
import { renderBootstrap } from './bootstrap.js';
import { renderFlutterPage, type FlutterManifest } from './page.js';

const JS = 'text/javascript; charset=utf-8';

export interface FlutterLayoutOptions {
  readonly engineRevision: string;
  /** Where the page loads CanvasKit from: the CDN's `/flutter-canvaskit/<rev>/`, or `canvaskit/` on the site. */
  readonly canvasKitBaseUrl: string;
}

/**
 * The files `flutter build web` writes, answered as the snapshot's host
 * profile sends them: index.html (always `no-cache`, as Flutter's hosting
 * guide asks, so it names the current deploy), flutter_bootstrap.js and an
 * unversioned main.dart.js that change with every build, and the local
 * copy of CanvasKit under `/canvaskit/`. nosniff is the page's strictness,
 * not the host's: a script with a wrong type is refused.
 */
export class FlutterLayout implements Layout {
  readonly bundles = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'];
  readonly build = new Build(reportingTrailer);
  readonly #options: FlutterLayoutOptions;
  readonly #mainDigests = new Map<number, string>();
  readonly #pages = new WeakMap<Deploy, Buffer>();
  readonly #bootstraps = new Map<number, Buffer>();

  constructor(options: FlutterLayoutOptions) {
    this.#options = options;
  }

  builtIn(pathname: string, snapshot: Snapshot): Resource | undefined {
    const { deploy } = snapshot;
    const build = this.build;
    switch (pathname) {
      case '/':
      case '/index.html': {
        const page = this.served(this.#page(deploy), 'text/html; charset=utf-8', snapshot);
        return { ...page, headers: { ...page.headers, 'cache-control': 'no-cache' }, expiresInSec: undefined };
      }
      case '/flutter_bootstrap.js':
        return this.served(this.#bootstrap(deploy.version), JS, snapshot);
      case '/main.dart.js':
        return this.served(build.mainDartJs(deploy.version), JS, snapshot);
      case '/canvaskit/canvaskit.js':
        return this.served(build.canvaskitJs(), JS, snapshot);
      case '/canvaskit/canvaskit.wasm':
        return this.served(build.canvaskitWasm(), 'application/wasm', snapshot);
      default:
        return undefined;
    }
  }

  served(body: Buffer, contentType: string, { deploy, profile }: Snapshot): Resource {
    const host = hostHeaders(profile, { body, deployedAt: deploy.deployedAt });
    return {
      body,
      contentType,
      headers: { ...host.headers, 'x-content-type-options': 'nosniff' },
      expiresInSec: host.expiresInSec,
      weakEtagWhenGzipped: host.weakEtagWhenGzipped,
      notBefore: deploy.deployedAt,
    };
  }

  #page(deploy: Deploy): Buffer {
    let page = this.#pages.get(deploy);
    if (!page) {
      const build = this.build;
      const manifest: FlutterManifest = {
        version: deploy.version,
        main: { url: '/main.dart.js', sha256: this.#mainDigest(deploy.version) },
        deployed: Object.fromEntries(deploy.builds.map(version => [version, this.#mainDigest(version)])),
        canvaskit: { 'canvaskit.js': sha256Hex(build.canvaskitJs()), 'canvaskit.wasm': sha256Hex(build.canvaskitWasm()) },
      };
      page = Buffer.from(renderFlutterPage(manifest));
      this.#pages.set(deploy, page);
    }
    return page;
  }

  #bootstrap(version: number): Buffer {
    let bootstrap = this.#bootstraps.get(version);
    if (!bootstrap) {
      bootstrap = renderBootstrap(this.build.flutterLoader(), { version, ...this.#options });
      this.#bootstraps.set(version, bootstrap);
    }
    return bootstrap;
  }

  // Builds fall out of Build's small cache; their digests are kept, since
  // every later page lists them.
  #mainDigest(version: number): string {
    let digest = this.#mainDigests.get(version);
    if (digest === undefined) {
      digest = sha256Hex(this.build.mainDartJs(version));
      this.#mainDigests.set(version, digest);
    }
    return digest;
  }
}
