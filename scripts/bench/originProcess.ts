// The benchmark's origins, in a process of their own so that serving bytes
// does not count as the Node CPU of the mode being measured. Talks over IPC.
import { startSite, syntheticBundle, type Site } from '../../tests/site/server.js';

export interface OriginConfig {
  bandwidthBytesPerSec: number;
  latencyMs: number;
  syntheticMegabytes: number[];
}

export type OriginRequest = { id: number; type: 'bytes' } | { id: number; type: 'close' };
export interface OriginsReady {
  type: 'ready';
  throttled: string;
  floor: string;
  bundleBytes: Record<string, number>;
}

/** A page that loads one synthetic bundle, and reports like the Flutter-like page does. */
export function syntheticPage(megabytes: number): string {
  return `<!doctype html><title>loading</title><script>
    window.__site = { ready: false, error: null };
    const script = document.createElement('script');
    script.src = '/bundles/synthetic-${megabytes}mb.js?v=1';
    script.onload = () => { window.__site.ready = true; document.title = 'ready'; };
    script.onerror = () => { window.__site.error = 'synthetic bundle failed'; };
    document.head.append(script);
  </script>`;
}

function prepare(site: Site, config: OriginConfig, immutable: boolean): void {
  // Cacheable, as versioned bundles usually are: gives the browser's own HTTP cache its best case.
  const headers: Record<string, string> = immutable ? { 'cache-control': 'public, max-age=31536000, immutable' } : {};
  for (const path of ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'])
    site.setHeaders(path, headers);
  for (const megabytes of config.syntheticMegabytes) {
    site.serve(`/synthetic-${megabytes}mb.html`, syntheticPage(megabytes), 'text/html; charset=utf-8');
    site.serve(`/bundles/synthetic-${megabytes}mb.js`, syntheticBundle(megabytes), 'text/javascript; charset=utf-8', headers);
  }
}

if (process.send) {
  const config = JSON.parse(process.argv[2]!) as OriginConfig;
  const throttled = await startSite({ bandwidthBytesPerSec: config.bandwidthBytesPerSec, latencyMs: config.latencyMs });
  const floor = await startSite();
  prepare(throttled, config, true);
  prepare(floor, config, true);
  const bundleBytes: Record<string, number> = {
    real: ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'].reduce((sum, path) => sum + throttled.body(path).length, 0),
  };
  for (const megabytes of config.syntheticMegabytes)
    bundleBytes[`${megabytes} MB`] = throttled.body(`/bundles/synthetic-${megabytes}mb.js`).length;
  process.send({ type: 'ready', throttled: throttled.origin, floor: floor.origin, bundleBytes } satisfies OriginsReady);
  process.on('message', async (message: OriginRequest) => {
    if (message.type === 'bytes') {
      process.send!({ id: message.id, throttled: throttled.bytesSent(), floor: floor.bytesSent() });
    } else {
      await Promise.all([throttled.close(), floor.close()]);
      process.send!({ id: message.id }, () => process.exit(0));
    }
  });
}
