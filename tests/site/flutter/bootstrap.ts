/** What one build's flutter_bootstrap.js is generated from. */
export interface BootstrapConfig {
  readonly version: number;
  readonly engineRevision: string;
  /** Absolute (the CDN) or relative to the page's base (`canvaskit/`, self-hosted). */
  readonly canvasKitBaseUrl: string;
}

/**
 * flutter_bootstrap.js as Flutter generates it: the loader (flutter.js), then
 * `_flutter.buildConfig`, then `_flutter.loader.load(…)` with this build's
 * service worker version, which changes with every build (here it is the
 * build number, so the page can report which bootstrap ran).
 */
export function renderBootstrap(loader: Buffer, config: BootstrapConfig): Buffer {
  const buildConfig = {
    engineRevision: config.engineRevision,
    builds: [{ compileTarget: 'dart2js', renderer: 'canvaskit', mainJsPath: 'main.dart.js' }],
  };
  const load = {
    serviceWorkerSettings: { serviceWorkerVersion: String(config.version) },
    config: { canvasKitBaseUrl: config.canvasKitBaseUrl },
  };
  return Buffer.concat([
    loader,
    Buffer.from(`
if (!window._flutter) {
  window._flutter = {};
}
window._flutter.buildConfig = ${JSON.stringify(buildConfig)};

window._flutter.loader.load(${JSON.stringify(load)});
`),
  ]);
}
