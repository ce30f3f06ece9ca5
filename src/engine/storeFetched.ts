import type { DiskTier } from '../disk/diskTier.js';
import type { HeldLock } from '../disk/locks.js';
import { FORMAT_VERSION, type CachedResponse } from '../disk/meta.js';
import { sha256Hex } from '../disk/entryStore.js';
import { freshnessOnStore } from '../freshness/entryFreshness.js';
import { splitVersion } from '../keys/version.js';
import { log } from '../log.js';
import type { MemoryTier } from '../memory/memoryTier.js';
import type { OriginResponse } from './origin.js';
import type { TierName } from './tier.js';
import type { CacheRequest } from './parts.js';
import { headersToPassThrough, headersToStore } from './responseHeaders.js';
import { storeVerdict } from './storePolicy.js';
import { unprovenEnd } from './bodyEnd.js';

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
  readonly disk: DiskTier;
  readonly memory: MemoryTier;
  readonly now: () => number;
  readonly versioning: boolean;
  /**
   * What follows a write to the disk tier, off the page's path: the index,
   * superseded versions, eviction, and (for what came from the origin) the
   * upload to a shared tier.
   */
  readonly afterStore: (response: CachedResponse, from: 'origin' | TierName) => void;
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
  const unproven = unprovenEnd(responseHeaders, body.length);
  if (unproven) {
    log.debug(`not stored ${request.url}: its end is not proven (${unproven})`);
    return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: `end of body not proven: ${unproven}` };
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
  const failed = await deps.disk.write(stored, lock);
  if (failed)
    return { kind: 'fetched', status, headers, body, stored: undefined, notStoredReason: failed.code };
  log.debug(`store ${request.url} ${body.length} bytes (rule ${request.rule.name}, version ${version ?? 'none'}, ${stored.meta.freshness!.kind}${stored.meta.freshness!.kind === 'revalidated' ? `, fresh until ${stored.meta.freshness!.freshUntil}` : ''})`);
  await deps.memory.fill(stored);
  deps.afterStore(stored, 'origin');
  return { kind: 'fetched', status, headers, body, stored };
}
