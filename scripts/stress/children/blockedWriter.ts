// The lock holder of promise 6: stores one URL through the engine and, at a
// step point of the write, blocks its own event loop for `blockMs` (as a
// long synchronous computation would), then carries on and reports.
import { openStoringCache } from '../storingCache.js';
import { nodeFileOps } from '../../../src/disk/fileOps.js';
import { storeFsOver } from '../../../src/disk/storeFs.js';
import { atStep, parseStepPoint, steppedOps } from '../steps.js';
import { fetchRequest } from './fetchRequest.js';
import { say } from '../../../tests/helpers/stdin.js';
import { isFailure } from '../outcome.js';

const [dir, url, point, blockMs, staleMs] = process.argv.slice(2) as [string, string, string, string, string];
const fs = storeFsOver(steppedOps(nodeFileOps, atStep(parseStepPoint(point), step => {
  say(`blocking at ${step.op} ${step.role}`);
  // Blocks the thread, timers and I/O callbacks included, without burning a core.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(blockMs));
})));
const cache = await openStoringCache(dir, { fs, locks: { staleMs: Number(staleMs) } });
const problems: string[] = [];
cache.on('problem', error => isFailure(error) && problems.push(error.code));
const result = await cache.warm(url, { request: fetchRequest() });
await cache.close();
say({ outcome: result.outcome, bytes: result.bytes, problems });
