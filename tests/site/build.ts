import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * The real published artifacts the site is built from. `sass` exports no
 * `package.json`, so its folder is found from its resolved entry point.
 */
export const artifactPaths = {
  sassDartJs: join(dirname(require.resolve('sass')), 'sass.dart.js'),
  canvaskitJs: require.resolve('canvaskit-wasm/bin/canvaskit.js'),
  canvaskitWasm: require.resolve('canvaskit-wasm/bin/canvaskit.wasm'),
  bootstrap: fileURLToPath(new URL('./public/flutter_bootstrap.js', import.meta.url)),
  flutterLoader: fileURLToPath(new URL('./public/flutter.js', import.meta.url)),
} as const;

type Artifact = keyof typeof artifactPaths;

// Each version of main.dart.js is a 5.8 MB copy; tests flip between a couple
// of versions, so a few are kept and older ones rebuilt on demand.
const KEPT_VERSIONS = 4;

/** The legacy layout's trailer: a comment, so the page cannot tell builds apart by running them. */
export const commentTrailer = (version: number) => `\n// build ${version}\n`;

/** The Flutter layout's trailer: running main.dart.js tells the page which build ran. */
export const reportingTrailer = (version: number) => `\n;window.__mainDartJsBuild = ${version}; // build ${version}\n`;

/**
 * The "deployed build" of one site: artifact bytes read lazily once, and
 * main.dart.js per version. Reads are synchronous because `Site.body()` is.
 */
export class Build {
  readonly #files = new Map<Artifact, Buffer>();
  readonly #mains = new Map<number, Buffer>();
  readonly #trailer: (version: number) => string;

  constructor(trailer: (version: number) => string = commentTrailer) {
    this.#trailer = trailer;
  }

  /** sass.dart.js plus a trailer, so every version has its own bytes and digest. */
  mainDartJs(version: number): Buffer {
    let body = this.#mains.get(version);
    if (!body) {
      body = Buffer.concat([this.#file('sassDartJs'), Buffer.from(this.#trailer(version))]);
      this.#mains.set(version, body);
      const oldest = this.#mains.keys().next().value;
      if (this.#mains.size > KEPT_VERSIONS && oldest !== undefined)
        this.#mains.delete(oldest);
    }
    return body;
  }

  canvaskitJs(): Buffer {
    return this.#file('canvaskitJs');
  }

  canvaskitWasm(): Buffer {
    return this.#file('canvaskitWasm');
  }

  bootstrap(): Buffer {
    return this.#file('bootstrap');
  }

  /** The Flutter layout's loader, the part of flutter_bootstrap.js that is the same in every build. */
  flutterLoader(): Buffer {
    return this.#file('flutterLoader');
  }

  #file(artifact: Artifact): Buffer {
    let body = this.#files.get(artifact);
    if (!body) {
      body = readFileSync(artifactPaths[artifact]);
      this.#files.set(artifact, body);
    }
    return body;
  }
}
