import { performance } from 'node:perf_hooks';
import { EntryStore } from '../../src/disk/entryStore.js';
import { sha256Hex } from '../../src/core/meta.js';
import { LockManager } from '../../src/disk/locks.js';
import { FORMAT_VERSION, type CachedResponse } from '../../src/core/meta.js';
import { prepareRoot } from '../../src/disk/root.js';
import { nodeStoreFs } from '../../src/disk/storeFs.js';
import { FreshnessJudge } from '../../src/freshness/judge.js';
import { toCacheRequest } from '../../src/engine/cacheRequest.js';
import { MemoryTier } from '../../src/memory/memoryTier.js';
import { resolveOptions } from '../../src/options/resolve.js';
import { median } from './stats.js';

const URL_OF_HIT = 'https://app.example.com/main.dart.js?v=1732185600';
const HEADERS = { 'accept': '*/*', 'user-agent': 'Mozilla/5.0 HeadlessChrome', 'referer': 'https://app.example.com/' };

function response(body: Buffer, key: string, url: string): CachedResponse {
  const now = Date.now();
  return {
    body,
    meta: {
      formatVersion: FORMAT_VERSION, key, url, method: 'GET', resource: url, version: '1732185600', status: 200,
      headers: { 'content-type': 'text/javascript' }, size: body.length, sha256: sha256Hex(body),
      storedAt: new Date(now).toISOString(), expiresAt: new Date(now + 3_600_000).toISOString(), rule: 'bench',
    },
  };
}

/** Median cost of what a memory hit does before handing the body over: rule match, key, memory lookup, freshness. */
export function lookupOverheadMs(): number {
  const options = resolveOptions({ dir: '/tmp/unused' });
  const memory = new MemoryTier({ maxBytes: 100 * 1024 ** 2, ttlMs: 300_000, now: Date.now });
  const judge = new FreshnessJudge({ now: Date.now, mode: 'default', runStartedAt: Date.now(), host: 'bench' });
  const request = toCacheRequest(options, 'GET', URL_OF_HIT, HEADERS)!;
  memory.set(request.key, response(Buffer.alloc(1024), request.key, request.url));
  const perCall: number[] = [];
  const batch = 1000;
  for (let round = 0; round < 300; round++) {
    const started = performance.now();
    for (let i = 0; i < batch; i++) {
      const hitRequest = toCacheRequest(options, 'GET', URL_OF_HIT, HEADERS)!;
      const hit = memory.take(hitRequest.key)!;
      if (judge.decide(hit.meta, hitRequest) !== 'serve')
        throw new Error('expected a fresh hit');
    }
    perCall.push((performance.now() - started) / batch);
  }
  return median(perCall.slice(50));
}

/** Median time of a disk hit's read: meta.json (zod), body, size and sha256 check, for a body of `megabytes`. */
export async function diskReadMs(dir: string, megabytes: number): Promise<number> {
  await prepareRoot(dir, nodeStoreFs);
  const store = new EntryStore(dir, nodeStoreFs);
  const url = `https://app.example.com/bundle-${megabytes}mb.js`;
  const stored = response(Buffer.alloc(megabytes * 1024 * 1024, 7), `GET ${url}`, url);
  const paths = store.paths(stored.meta.key, url);
  await store.ensureDir(paths.dir);
  const lock = await new LockManager().acquire(paths.base, 0);
  await store.write(stored, lock);
  await lock.release();
  const times: number[] = [];
  for (let i = 0; i < 60; i++) {
    const started = performance.now();
    const read = await store.read(stored.meta.key, url);
    times.push(performance.now() - started);
    if (read.kind !== 'found')
      throw new Error(`expected the entry, got ${read.kind}`);
  }
  return median(times.slice(10));
}
