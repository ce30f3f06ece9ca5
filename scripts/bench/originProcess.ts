// The benchmark's origins, in a process of their own so that serving bytes
// does not count as the Node CPU of the mode being measured. Talks over IPC.
import { startSite, syntheticBundle, type OriginFiles, type RequestRecord, type Site } from '../../tests/site/server.js';

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
  /** The `flutter build web` layout as Netlify serves it (`max-age=0, must-revalidate` + ETag), its CDN with the same throttle. */
  flutterThrottled: string;
  flutterFloor: string;
  bundleBytes: Record<string, number>;
}

/** Cumulative counters of the origins: body bytes per origin pair, and what the Flutter sites saw. */
export interface OriginCounters {
  throttled: number;
  floor: number;
  flutterThrottled: number;
  flutterFloor: number;
  /** Requests with If-None-Match or If-Modified-Since, on both Flutter sites and their CDNs. */
  conditional: number;
  /** 304s they sent. */
  notModified: number;
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

const isConditional = (request: RequestRecord) => request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined;

/** The Flutter site's counters: its own and its CDN's. */
function flutterCounts(site: Site): { bytes: number; conditional: number; notModified: number } {
  const origins = [site, site.cdn];
  const paths = (origin: OriginFiles) => new Set(origin.requests.map(request => request.pathname));
  return {
    bytes: site.bytesSent() + site.cdn.bytesSent(),
    conditional: origins.reduce((sum, origin) => sum + origin.requests.filter(isConditional).length, 0),
    notModified: origins.reduce((sum, origin) => sum + [...paths(origin)].reduce((count, path) => count + (origin.responses(path)[304] ?? 0), 0), 0),
  };
}

if (process.send) {
  const config = JSON.parse(process.argv[2]!) as OriginConfig;
  const throttled = await startSite({ bandwidthBytesPerSec: config.bandwidthBytesPerSec, latencyMs: config.latencyMs });
  const floor = await startSite();
  const flutterThrottled = await startSite({ layout: 'flutter', profile: 'netlify', bandwidthBytesPerSec: config.bandwidthBytesPerSec, latencyMs: config.latencyMs });
  const flutterFloor = await startSite({ layout: 'flutter', profile: 'netlify' });
  prepare(throttled, config, true);
  prepare(floor, config, true);
  const bundleBytes: Record<string, number> = {
    real: ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'].reduce((sum, path) => sum + throttled.body(path).length, 0),
  };
  for (const megabytes of config.syntheticMegabytes)
    bundleBytes[`${megabytes} MB`] = throttled.body(`/bundles/synthetic-${megabytes}mb.js`).length;
  const cdnPath = (name: string) => new URL(flutterThrottled.cdn.canvaskitBaseUrl + name).pathname;
  bundleBytes['must-revalidate'] = flutterThrottled.body('/main.dart.js').length + flutterThrottled.cdn.body(cdnPath('canvaskit.js')).length + flutterThrottled.cdn.body(cdnPath('canvaskit.wasm')).length;
  process.send({ type: 'ready', throttled: throttled.origin, floor: floor.origin, flutterThrottled: flutterThrottled.origin, flutterFloor: flutterFloor.origin, bundleBytes } satisfies OriginsReady);
  process.on('message', async (message: OriginRequest) => {
    if (message.type === 'bytes') {
      const [slow, fast] = [flutterCounts(flutterThrottled), flutterCounts(flutterFloor)];
      process.send!({
        id: message.id, throttled: throttled.bytesSent(), floor: floor.bytesSent(), flutterThrottled: slow.bytes, flutterFloor: fast.bytes,
        conditional: slow.conditional + fast.conditional, notModified: slow.notModified + fast.notModified,
      } satisfies OriginCounters & { id: number });
    } else {
      await Promise.all([throttled.close(), floor.close(), flutterThrottled.close(), flutterFloor.close()]);
      process.send!({ id: message.id }, () => process.exit(0));
    }
  });
}
