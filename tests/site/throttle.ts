import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

// Small chunks on a fast tick make a capped download look like a slow link
// (steady progress) rather than a few big bursts.
const TICK_MS = 10;
const MAX_CHUNK = 64 * 1024;

/**
 * Writes `body` and ends `res`, never faster than `bytesPerSec` on average.
 * Each chunk is scheduled against the start time, so timer lag does not
 * accumulate, and waits for `drain` so a slow reader is never buffered past.
 * Stops quietly when the client goes away; rejects with an AbortError when
 * `signal` aborts (the site is closing).
 */
export async function writeThrottled(
  res: ServerResponse,
  body: Buffer,
  bytesPerSec: number,
  signal: AbortSignal,
  onBytes: (count: number) => void,
): Promise<void> {
  const chunkSize = Math.max(1, Math.min(MAX_CHUNK, Math.floor(bytesPerSec * TICK_MS / 1000)));
  const start = performance.now();
  let sent = 0;
  while (sent < body.length) {
    if (res.destroyed)
      return;
    const chunk = body.subarray(sent, sent + chunkSize);
    const flushed = res.write(chunk);
    sent += chunk.length;
    onBytes(chunk.length);
    if (!flushed)
      await drainOrClose(res);
    const wait = start + sent / bytesPerSec * 1000 - performance.now();
    if (wait > 0 && sent < body.length)
      await sleep(wait, undefined, { signal });
  }
  res.end();
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
