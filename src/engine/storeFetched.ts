import { BundleCacheError, isBundleCacheError } from '../errors.js';
import type { EntryStore } from '../disk/entryStore.js';
import type { HeldLock } from '../disk/locks.js';
import { FORMAT_VERSION, type CachedResponse } from '../disk/meta.js';
import { sha256Hex } from '../disk/entryStore.js';
import { freshnessOnStore } from '../freshness/entryFreshness.js';
import { splitVersion } from '../keys/version.js';
import { log } from '../log.js';
import type { MemoryTier } from '../memory/memoryTier.js';
import type { OriginResponse } from './origin.js';
import type { CacheRequest } from './parts.js';
import { headersToPassThrough, headersToStore } from './responseHeaders.js';
import { storeVerdict } from './storePolicy.js';

/** A response fetched from the origin, and whether (and why not) it was stored. */
export interface Fetched {
  readonly kind: 'fetched';
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly stored: CachedResponse | undefined;
  readonly notStoredReason?: string;
}

export interface StoreDeps {
  readonly store: EntryStore;
  readonly memory: MemoryTier;
  readonly now: () => number;
  readonly versioning: boolean;
  readonly report: (error: BundleCacheError, url?: string) => void;
  /** What follows a store off the page's path: the index, superseded versions, eviction. */
  readonly afterStore: (response: CachedResponse) => void;
}

/**
 * Writes a fetched response to the disk tier (under the key's `lock`) when
 * the store policy allows it, with its freshness as the origin's headers
 * give it, and keeps it in memory. Returns what to serve either way.
 */
export async function storeFetched(deps: StoreDeps, request: CacheRequest, origin: OriginResponse, lock: HeldLock | undefined): Promise<Fetched> {
  const { status, headers: responseHeaders, body } = origin;
  const headers = headersToPassThrough(responseHeaders, request.url, body.length);
  const verdict = storeVerdict({ method: 'GET', status, requestHeaders: request.requestHeaders, responseHeaders });
  if (!verdict.store) {
    log.debug(`not stored ${request.url}: ${verdict.reason}`);
    return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: verdict.reason };
  }
  if (!lock)
    return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: 'lock unavailable' };
  const now = deps.now();
  const split = splitVersion(request.url);
  // Versioning decides superseding; a version in the URL makes the entry immutable either way.
  const { resource, version } = deps.versioning ? split : { resource: request.url, version: null };
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
      freshness: freshnessOnStore({ status, responseHeaders, versioned: split.version !== null, receivedAt: now }),
    },
  };
  try {
    await deps.store.write(stored, lock);
  } catch (error) {
    const cacheError = asCacheError(error);
    deps.report(cacheError, request.url);
    return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: cacheError.code };
  }
  log.debug(`store ${request.url} ${body.length} bytes (rule ${request.rule.name}, version ${version ?? 'none'}, ${stored.meta.freshness!.kind}${stored.meta.freshness!.kind === 'revalidated' ? `, fresh until ${stored.meta.freshness!.freshUntil}` : ''})`);
  deps.memory.set(request.key, stored).forEach(key => log.debug(`evict memory ${key}`));
  deps.afterStore(stored);
  return { kind: 'fetched', status, headers, body, stored };
}

export function asCacheError(error: unknown): BundleCacheError {
  if (isBundleCacheError(error))
    return error;
  return new BundleCacheError('ERR_STORE_FAILED', (error as Error).message, {}, { cause: error });
}
