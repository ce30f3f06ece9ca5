import type { CacheRequest } from '../core/request.js';
import { requestWantsFresh } from '../freshness/policy.js';
import { bypassReason } from '../http/storePolicy.js';
import { normalizeUrl } from '../keys/normalizeUrl.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { findRule } from '../rules/rules.js';

/**
 * A client's request as the cache sees it, or undefined when it is not
 * cacheable (no rule matches, not a GET, a Range request, not http(s)).
 * Header names must be lower-case.
 */
export function toCacheRequest(options: Pick<ResolvedOptions, 'rules' | 'now'>, method: string, rawUrl: string, requestHeaders: Record<string, string>): CacheRequest | undefined {
  if (bypassReason(method, requestHeaders))
    return undefined;
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return undefined;
  const rule = findRule(options.rules, url);
  if (!rule)
    return undefined;
  const normalized = normalizeUrl(url);
  return { key: `GET ${normalized}`, url: normalized, rule, requestHeaders, wantsFresh: requestWantsFresh(requestHeaders), arrivedAt: options.now() };
}
