import { FORMAT_VERSION, sha256Hex, type CachedResponse } from '../core/meta.js';
import type { OriginResponse } from '../core/origin.js';
import type { CacheRequest } from '../core/request.js';
import type { Passed } from '../core/resolution.js';
import { freshnessOnStore } from '../freshness/entryFreshness.js';
import { unprovenEnd } from '../http/bodyEnd.js';
import { headersToPassThrough, headersToStore } from '../http/responseHeaders.js';
import { storeVerdict } from '../http/storePolicy.js';
import { splitVersion } from '../keys/version.js';
import { log } from '../log.js';

/**
 * What the origin's answer becomes: an entry to store (its meta.json with
 * freshness as the origin's headers give it), or an answer to pass on, with
 * the reason it may not be stored (store policy, an unproven body end).
 */
export function entryFromOrigin(request: CacheRequest, origin: OriginResponse, receivedAt: number, policy: { versioning: boolean; host: string }): CachedResponse | Passed {
  const { status, headers: responseHeaders, body } = origin;
  const verdict = storeVerdict({ method: 'GET', status, requestHeaders: request.requestHeaders, responseHeaders });
  const unproven = verdict.store ? unprovenEnd(responseHeaders, body.length) : undefined;
  if (!verdict.store || unproven) {
    const reason = verdict.store ? `end of body not proven: ${unproven}` : verdict.reason;
    log.debug(`not stored ${request.url}: ${reason}`);
    return passed(request, origin, reason);
  }
  const split = splitVersion(request.url);
  // Versioning decides superseding; a version in the URL makes the entry immutable either way.
  const { resource, version } = policy.versioning ? split : { resource: request.url, version: null };
  return {
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
      storedAt: new Date(receivedAt).toISOString(),
      expiresAt: new Date(receivedAt + request.rule.maxAgeMs).toISOString(),
      rule: request.rule.name,
      freshness: freshnessOnStore({ status, responseHeaders, versioned: split.version !== null, receivedAt, by: policy.host }),
    },
  };
}

export function passed(request: CacheRequest, origin: OriginResponse, reason: string): Passed {
  return { kind: 'passed', status: origin.status, headers: headersToPassThrough(origin.headers, request.url, origin.body.length), body: origin.body, reason };
}
