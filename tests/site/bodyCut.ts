import type { ServerResponse } from 'node:http';
import { gzipped } from './encoding.js';
import type { BodyCut } from './faults.js';
import type { Resource } from './resources.js';
import { type Exchange, represent, writeHead } from './send.js';

/**
 * Sends `resource` as a 200 with its real headers but only half its body,
 * cut as `how` says (see `BodyCut`). Latency applies, bandwidth does not.
 * A HEAD gets the head alone.
 */
export async function sendCut(ex: Exchange, resource: Resource, how: BodyCut): Promise<void> {
  const { headers } = represent(ex, resource);
  delete headers['content-encoding'];
  let body = resource.body;
  if (how === 'gzip-cut') {
    const compressed = await gzipped(resource.body);
    body = compressed.subarray(0, compressed.length >> 1);
    headers['content-encoding'] = 'gzip';
    headers.vary ??= 'accept-encoding';
    headers['content-length'] = String(body.length);
  } else if (how === 'short-close')
    headers['content-length'] = String(body.length);
  if (ex.res.destroyed)
    return;
  writeHead(ex, 200, headers);
  if (ex.req.method === 'HEAD') {
    ex.res.end();
    return;
  }
  if (how === 'gzip-cut') {
    ex.res.end(body);
    ex.traffic.addBytes(ex.pathname, body.length);
    return;
  }
  const half = body.subarray(0, body.length >> 1);
  await written(ex.res, half);
  ex.traffic.addBytes(ex.pathname, half.length);
  const socket = ex.res.socket;
  if (how === 'chunked-reset')
    socket?.resetAndDestroy(); // RST: the client sees ECONNRESET, not an end.
  else
    socket?.end(); // FIN: a clean close short of Content-Length.
}

/** Resolves once `chunk` is handed to the kernel (or the client is gone). */
function written(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise(resolve => {
    res.write(chunk, () => resolve());
    res.once('close', resolve);
  });
}
