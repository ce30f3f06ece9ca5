import { BundleCacheError, isBundleCacheError } from '../errors.js';
import type { HeldLock } from '../disk/locks.js';
import { FORMAT_VERSION, type CachedResponse } from '../disk/meta.js';
import { sha256Hex } from '../disk/entryStore.js';
import { splitVersion } from '../keys/version.js';
import { log } from '../log.js';
import { isClosedError } from './closed.js';
import { isFresh } from './freshness.js';
import { headersToPassThrough, headersToStore } from './responseHeaders.js';
import { storeVerdict, varyMatches } from './storePolicy.js';
import type { CacheRequest, EngineParts } from './parts.js';

/** How long to wait for another process that is fetching the same key before fetching without storing. */
export const KEY_LOCK_TIMEOUT_MS = 60_000;
/** The fetch's own limit; a bundle that takes longer goes to the browser instead. */
export const FETCH_TIMEOUT_MS = 120_000;

/** A response from the origin, body decoded. */
export interface OriginResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

/** Fetches the request from the origin: `route.fetch()` for pages, an APIRequestContext for `warm`. */
export type OriginFetch = () => Promise<OriginResponse>;

export type Resolution =
  /** Read from disk (written by this process earlier or by another one). */
  | { readonly kind: 'disk'; readonly response: CachedResponse }
  /** Fetched from the origin; `stored` when it was written to the cache. */
  | { readonly kind: 'fetched'; readonly status: number; readonly headers: Record<string, string>; readonly body: Buffer; readonly stored: CachedResponse | undefined; readonly notStoredReason?: string }
  /** Offline mode and not cached. */
  | { readonly kind: 'offline'; readonly error: BundleCacheError }
  /** Let the browser fetch it itself (the cache could not). */
  | { readonly kind: 'fallback' }
  /** The page or context went away. */
  | { readonly kind: 'closed' };

/**
 * The disk tier and the miss path, one fetch per key: concurrent requests of
 * this process share one promise, and across processes the key's lock makes
 * one process fetch while the others wait and then read what it wrote.
 */
export class Resolver {
  readonly #parts: EngineParts;
  readonly #afterStore: (response: CachedResponse) => void;
  readonly #inflight = new Map<string, Promise<Resolution>>();

  constructor(parts: EngineParts, afterStore: (response: CachedResponse) => void) {
    this.#parts = parts;
    this.#afterStore = afterStore;
  }

  /** `shared` is true when this request joined another one's fetch. */
  async resolve(request: CacheRequest, fetchOrigin: OriginFetch): Promise<{ resolution: Resolution; shared: boolean }> {
    const pending = this.#inflight.get(request.key);
    if (pending)
      return { resolution: await pending, shared: true };
    const promise = this.#lead(request, fetchOrigin).finally(() => this.#inflight.delete(request.key));
    this.#inflight.set(request.key, promise);
    return { resolution: await promise, shared: false };
  }

  async #lead(request: CacheRequest, fetchOrigin: OriginFetch): Promise<Resolution> {
    const parts = this.#parts;
    const paths = parts.store.paths(request.key, request.url);
    // Readers never lock; a corrupt-looking entry may be one being written right now, so it is judged under the lock.
    const unlocked = await this.#readDisk(request, false);
    if (unlocked)
      return { kind: 'disk', response: unlocked };
    if (parts.options.mode === 'offline') {
      return { kind: 'offline', error: new BundleCacheError('ERR_OFFLINE_MISS',
          `Offline mode: ${request.url} is not in the cache at ${parts.options.dir}. Fix: warm the cache first (run once with mode 'default', or \`npx bundle-cache warm ${request.url}\`), or use mode 'default'.`,
          { url: request.url, dir: parts.options.dir }) };
    }
    let lock: HeldLock | undefined;
    try {
      await parts.store.ensureDir(paths.dir);
      lock = await parts.locks.acquire(paths.base, parts.keyLockTimeoutMs);
      await parts.store.clearDebris(paths);
    } catch (error) {
      parts.report(asCacheError(error), request.url);
    }
    try {
      if (lock) {
        const locked = await this.#readDisk(request, true);
        if (locked)
          return { kind: 'disk', response: locked };
      }
      return await this.#fetch(request, fetchOrigin, lock);
    } finally {
      await lock?.release();
    }
  }

  async #fetch(request: CacheRequest, fetchOrigin: OriginFetch, lock: HeldLock | undefined): Promise<Resolution> {
    const parts = this.#parts;
    let origin: OriginResponse;
    try {
      origin = await fetchOrigin();
    } catch (error) {
      if (isClosedError(error))
        return { kind: 'closed' };
      parts.report(new BundleCacheError('ERR_FETCH_FAILED', `Fetching ${request.url} failed (${(error as Error).message.split('\n')[0]}); the browser fetches it itself.`, { url: request.url }, { cause: error }), request.url);
      return { kind: 'fallback' };
    }
    const { status, headers: responseHeaders, body } = origin;
    const headers = headersToPassThrough(responseHeaders, request.url, body.length);
    const verdict = storeVerdict({ method: 'GET', status, requestHeaders: request.requestHeaders, responseHeaders });
    if (!verdict.store) {
      log.debug(`not stored ${request.url}: ${verdict.reason}`);
      return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: verdict.reason };
    }
    if (!lock)
      return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: 'lock unavailable' };
    const now = parts.options.now();
    // Only a store needs the resource id and version; hits never compute them.
    const { resource, version } = parts.options.versioning ? splitVersion(request.url) : { resource: request.url, version: null };
    const stored: CachedResponse = {
      body,
      meta: {
        formatVersion: FORMAT_VERSION,
        key: request.key,
        url: request.url,
        method: 'GET',
        resource,
        version,
        status,
        headers: headersToStore(responseHeaders, request.url),
        ...(verdict.vary ? { vary: verdict.vary } : {}),
        size: body.length,
        sha256: sha256Hex(body),
        storedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + request.rule.maxAgeMs).toISOString(),
        rule: request.rule.name,
      },
    };
    try {
      await parts.store.write(stored, lock);
    } catch (error) {
      parts.report(asCacheError(error), request.url);
      return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: asCacheError(error).code };
    }
    log.debug(`store ${request.url} ${body.length} bytes (rule ${request.rule.name}, version ${version ?? 'none'})`);
    parts.memory.set(request.key, stored).forEach(key => log.debug(`evict memory ${key}`));
    this.#afterStore(stored);
    return { kind: 'fetched', status, headers, body, stored };
  }

  /** A fresh, intact entry from disk (promoted to memory), or undefined. */
  async #readDisk(request: CacheRequest, judgeCorruption: boolean): Promise<CachedResponse | undefined> {
    const parts = this.#parts;
    const read = await parts.store.read(request.key, request.url);
    if (read.kind === 'corrupt') {
      if (judgeCorruption)
        parts.report(read.error, request.url);
      return undefined;
    }
    if (read.kind === 'absent')
      return undefined;
    const { meta } = read.response;
    if (!isFresh(meta, parts.options.now(), request.rule.maxAgeMs, parts.refreshSince)) {
      log.debug(`expired ${request.url} (stored ${meta.storedAt})`);
      return undefined;
    }
    if (!varyMatches(meta.vary, request.requestHeaders))
      return undefined;
    parts.memory.set(request.key, read.response).forEach(key => log.debug(`evict memory ${key}`));
    parts.track(parts.store.touch(parts.store.paths(request.key, request.url), parts.options.now()));
    return read.response;
  }
}

function asCacheError(error: unknown): BundleCacheError {
  if (isBundleCacheError(error))
    return error;
  return new BundleCacheError('ERR_STORE_FAILED', (error as Error).message, {}, { cause: error });
}
