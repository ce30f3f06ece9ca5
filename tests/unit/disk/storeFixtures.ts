import { FORMAT_VERSION, type CachedResponse } from '../../../src/core/meta.js';
import { sha256Hex } from '../../../src/core/meta.js';
import { cacheKey, normalizeUrl } from '../../../src/keys/normalizeUrl.js';
import { splitVersion } from '../../../src/keys/version.js';

export const T0 = Date.parse('2026-01-01T00:00:00Z');

/** A complete cached response for `url`, as the resolver would build it. */
export function makeResponse(url: string, body: Buffer | string, storedAt = T0, maxAgeMs = 3_600_000): CachedResponse {
  const bytes = Buffer.from(body);
  const normalized = normalizeUrl(url);
  const { resource, version } = splitVersion(normalized);
  return {
    body: bytes,
    meta: {
      formatVersion: FORMAT_VERSION, key: cacheKey('GET', url), url: normalized, method: 'GET', resource, version,
      status: 200, headers: { 'content-type': 'text/javascript' }, size: bytes.length, sha256: sha256Hex(bytes),
      storedAt: new Date(storedAt).toISOString(), expiresAt: new Date(storedAt + maxAgeMs).toISOString(), rule: 'test',
    },
  };
}
