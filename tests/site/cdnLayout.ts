import type { Build } from './build.js';
import { contentEtag } from './profiles.js';
import type { Layout, Resource } from './resources.js';

/** A real Flutter engine revision's shape: 40 hex digits. */
export const DEFAULT_ENGINE_REVISION = 'c1c3a0b3a5a7f0d5e6b0c9e8d7f6a5b4c3d2e1f0';

export function checkEngineRevision(revision: string): string {
  if (typeof revision !== 'string' || !/^[0-9a-f]{40}$/.test(revision))
    throw new RangeError(`engineRevision must be 40 lower-case hex digits like a Flutter engine commit, got ${JSON.stringify(revision)}`);
  return revision;
}

/** `/flutter-canvaskit/<revision>/`, where gstatic serves each engine's CanvasKit. */
export function canvaskitDir(revision: string): string {
  return `/flutter-canvaskit/${revision}/`;
}

/**
 * The CDN origin's files, as www.gstatic.com serves Flutter's CanvasKit:
 * a year of `max-age` (not `immutable`; the URL is versioned by the engine
 * revision anyway), a content ETag, and CORS for any page.
 */
export class CdnLayout implements Layout {
  readonly bundles: readonly string[];
  readonly #build: Build;
  readonly #dir: string;

  constructor(build: Build, revision: string) {
    this.#build = build;
    this.#dir = canvaskitDir(revision);
    this.bundles = [`${this.#dir}canvaskit.js`, `${this.#dir}canvaskit.wasm`];
  }

  builtIn(pathname: string): Resource | undefined {
    switch (pathname) {
      case `${this.#dir}canvaskit.js`:
        return this.served(this.#build.canvaskitJs(), 'text/javascript');
      case `${this.#dir}canvaskit.wasm`:
        return this.served(this.#build.canvaskitWasm(), 'application/wasm');
      default:
        return undefined;
    }
  }

  served(body: Buffer, contentType: string): Resource {
    return {
      body,
      contentType,
      headers: {
        'cache-control': 'public, max-age=31536000',
        'etag': contentEtag(body),
        'access-control-allow-origin': '*',
        'cross-origin-resource-policy': 'cross-origin',
        'x-content-type-options': 'nosniff',
      },
    };
  }
}
