import { createHash } from 'node:crypto';

/** Request headers whose values must never be written, and so can never key a stored response. */
const SECRET_REQUEST_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

export type Headers = Readonly<Record<string, string>>;

/** Why a request is left to the browser without looking at the cache, or undefined to look. */
export function bypassReason(method: string, requestHeaders: Headers): string | undefined {
  if (method !== 'GET')
    return `method ${method}`;
  if (requestHeaders.range !== undefined)
    return 'range request';
  return undefined;
}

export type StoreVerdict =
  | { readonly store: true; readonly vary: Record<string, string> | undefined }
  | { readonly store: false; readonly reason: string };

/**
 * Whether a fetched response may be written: only `GET` with status 200, and
 * never one that the origin marks `no-store` or `private`, that sets a cookie,
 * or that varies on something secret or unknowable. Names are lower-case.
 */
export function storeVerdict(input: { method: string; status: number; requestHeaders: Headers; responseHeaders: Headers }): StoreVerdict {
  const { method, status, requestHeaders, responseHeaders } = input;
  if (method !== 'GET')
    return { store: false, reason: `method ${method}` };
  if (status !== 200)
    return { store: false, reason: `status ${status}` };
  const cacheControl = (responseHeaders['cache-control'] ?? '').toLowerCase();
  const directives = new Set(cacheControl.split(',').map(part => part.trim().split('=')[0]));
  if (directives.has('no-store'))
    return { store: false, reason: 'cache-control: no-store' };
  if (directives.has('private'))
    return { store: false, reason: 'cache-control: private' };
  if (responseHeaders['set-cookie'] !== undefined)
    return { store: false, reason: 'set-cookie' };
  const varyNames = (responseHeaders.vary ?? '').split(',').map(name => name.trim().toLowerCase()).filter(Boolean);
  if (varyNames.includes('*'))
    return { store: false, reason: 'vary: *' };
  const secret = varyNames.find(name => SECRET_REQUEST_HEADERS.has(name));
  if (secret)
    return { store: false, reason: `vary: ${secret}` };
  // Bodies are stored decoded, so the encoding the request accepted does not select a variant.
  const selecting = varyNames.filter(name => name !== 'accept-encoding');
  if (!selecting.length)
    return { store: true, vary: undefined };
  return { store: true, vary: Object.fromEntries(selecting.map(name => [name, varyDigest(requestHeaders[name])])) };
}

/**
 * What meta.json keeps of a varying request header: a digest, not the value,
 * so `Vary: X-Api-Key` does not put the key on disk.
 */
export function varyDigest(value: string | undefined): string {
  return `sha256:${createHash('sha256').update(value ?? '').digest('hex')}`;
}

/** A stored variant serves a request only if the request's values of the varying headers match. */
export function varyMatches(vary: Headers | undefined, requestHeaders: Headers): boolean {
  if (!vary)
    return true;
  return Object.entries(vary).every(([name, digest]) => varyDigest(requestHeaders[name]) === digest);
}
