import type { Headers } from './storePolicy.js';

/**
 * Response headers kept on disk and replayed on a hit: an allowlist of what a
 * static bundle needs to behave as from the origin (type, CORS, isolation,
 * validators). Anything else (cookies, tokens, tracing ids) is never stored.
 */
const STORED_HEADERS = new Set([
  'content-type',
  'content-language',
  'cache-control',
  'etag',
  'last-modified',
  'vary',
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-expose-headers',
  'timing-allow-origin',
  'cross-origin-resource-policy',
  'cross-origin-embedder-policy',
  'cross-origin-opener-policy',
  'x-content-type-options',
  'service-worker-allowed',
  'sourcemap',
  'x-sourcemap',
]);

/** Headers that describe the bytes on the wire, not the decoded body we serve. */
const WIRE_HEADERS = new Set(['content-encoding', 'content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/** `WebAssembly.instantiateStreaming` requires exactly this type, whatever the origin said. */
function withWasmType(headers: Record<string, string>, url: string): Record<string, string> {
  if (new URL(url).pathname.toLowerCase().endsWith('.wasm'))
    headers['content-type'] = 'application/wasm';
  return headers;
}

export function headersToStore(responseHeaders: Headers, url: string): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(responseHeaders)) {
    if (STORED_HEADERS.has(name.toLowerCase()))
      kept[name.toLowerCase()] = value;
  }
  return withWasmType(kept, url);
}

/** Headers for a response served straight from the network: as the origin sent them, minus the wire encoding. */
export function headersToPassThrough(responseHeaders: Headers, url: string, bodyLength: number): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(responseHeaders)) {
    if (!WIRE_HEADERS.has(name.toLowerCase()))
      kept[name.toLowerCase()] = value;
  }
  kept['content-length'] = String(bodyLength);
  return withWasmType(kept, url);
}

export function headersToServe(stored: Headers, bodyLength: number): Record<string, string> {
  return { ...stored, 'content-length': String(bodyLength) };
}
