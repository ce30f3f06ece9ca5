import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

// What a static host compresses: text, scripts, JSON and wasm. Images and
// already-compressed archives would only grow.
const COMPRESSIBLE = /^(text\/|application\/(javascript|json|wasm|xml)\b)|\+(json|xml)\b/i;

export function isCompressible(contentType: string): boolean {
  return COMPRESSIBLE.test(contentType);
}

/** True when `accept-encoding` lists gzip (or `*`) without `q=0`. */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding)
    return false;
  return acceptEncoding.split(',').some(part => {
    const [coding = '', ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*')
      return false;
    const q = params.map(p => p.trim()).find(p => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

// Compressing 7 MB of wasm takes a few hundred ms; a host precomputes it, so
// the site does too, once per body Buffer (shared by concurrent requests).
const memo = new WeakMap<Buffer, Promise<Buffer>>();

export function gzipped(body: Buffer): Promise<Buffer> {
  let compressed = memo.get(body);
  if (!compressed) {
    compressed = gzipAsync(body);
    memo.set(body, compressed);
  }
  return compressed;
}
