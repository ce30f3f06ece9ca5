/** Which protocol a remote speaks: Redis, or HTTP in the Bazel cache layout. */
export type RemoteKind = 'redis' | 'http';

const KINDS: Record<string, RemoteKind> = { 'redis:': 'redis', 'rediss:': 'redis', 'http:': 'http', 'https:': 'http' };

export const URL_FORMS = 'redis://host:6379, rediss://host:6380 or http(s)://host/prefix/';

export type CheckedUrl =
  | { readonly ok: true; readonly kind: RemoteKind; readonly url: string }
  | { readonly ok: false; readonly message: string };

/** A URL as it may be printed: the password dropped, the user kept. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.password)
      return parsed.toString();
    parsed.password = '';
    return parsed.toString();
  } catch {
    // Not a URL: still never print what looks like a password.
    return url.replace(/(\/\/[^/@:]*):[^/@]*@/, '$1@');
  }
}

/**
 * Validates a remote URL and normalizes it: an HTTP prefix always ends with
 * `/` (`new URL('cas/x', 'http://h/prefix')` would drop `prefix`). Messages
 * never contain the password.
 */
export function checkRemoteUrl(text: string): CheckedUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `malformed URL ${JSON.stringify(redactUrl(text))}: expected ${URL_FORMS}` };
  }
  const shown = JSON.stringify(redactUrl(text));
  const kind = KINDS[url.protocol];
  if (!kind)
    return { ok: false, message: `unknown scheme "${url.protocol}" in ${shown}: expected ${URL_FORMS}` };
  if (!url.hostname)
    return { ok: false, message: `no host in ${shown}: expected ${URL_FORMS}` };
  if (url.search || url.hash)
    return { ok: false, message: `a remote URL takes no query or fragment; got ${shown}` };
  if (kind === 'redis') {
    if (!/^\/?(\d{1,5})?$/.test(url.pathname))
      return { ok: false, message: `the path of a Redis URL is its database number (redis://host:6379/0); got ${shown}` };
    return { ok: true, kind, url: url.toString() };
  }
  if (!url.pathname.endsWith('/'))
    url.pathname = `${url.pathname}/`;
  return { ok: true, kind, url: url.toString() };
}
