import type { EntryMeta } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import { DocumentChecks, withoutFragment, type DocumentChecksDeps, type EarlyCheck, type StartedCheck } from '../engine/documentChecks.js';
import type { OriginFetcher, ProxyRequest } from './backend.js';

/** Visits whose started checks are kept (the least recent is dropped first); each is taken within the window anyway. */
const MAX_VISITS = 256;

/**
 * Early checks for pages the proxy serves (see engine/documentChecks.ts).
 * The proxy sees no frames, so:
 * - a document is a request with `Sec-Fetch-Dest: document` (or `iframe`),
 *   or, from a client that sends no `Sec-Fetch-*`, one that accepts HTML;
 * - an entry belongs to the document its request's `Referer` names, and
 *   only when it is on the document's own origin (a cross-origin `Referer`
 *   is only an origin, and the check must not carry the site's cookies to
 *   another host);
 * - a visit is the document and the client's credentials (`Cookie`,
 *   `Authorization`, `User-Agent`): only the same client's bundle request
 *   takes the check its document request started, which carried that
 *   client's own headers, not another's.
 */
export class ProxyEarlyChecks {
  readonly #checks: DocumentChecks<string>;
  readonly #visits = new RecentVisits();

  constructor(deps: Omit<DocumentChecksDeps<string>, 'started'>) {
    this.#checks = new DocumentChecks({ ...deps, started: this.#visits });
  }

  /**
   * Any request the proxy read, before it is answered: a document this
   * cache has seen before starts its entries' checks. Reads the request's
   * headers only for such a document's URL.
   */
  seen(request: ProxyRequest, fetchOrigin: OriginFetcher): void {
    if (request.method !== 'GET' || !this.#checks.knows(request.url))
      return;
    const { headers } = request;
    if (!isDocument(headers))
      return;
    this.#checks.navigated(visitOf(request.url, headers), request.url, headers,
        fetchUrl => ({ url, headers: asked }) => fetchOrigin(url ?? fetchUrl, asked), clientHeaders(headers));
  }

  /** An entry served for `request`: remembered for the document its `Referer` names on its own origin. */
  learn(request: CacheRequest, meta: EntryMeta): void {
    this.#checks.learn(documentOf(request), request.url, request, meta);
  }

  /** The check `request`'s document started for this client, if one is waiting; each is used once. */
  take(request: CacheRequest): EarlyCheck | undefined {
    // On every cacheable request, hits included: nothing to parse when no document started a check.
    if (!this.#visits.size)
      return undefined;
    const document = documentOf(request);
    return document === undefined ? undefined : this.#checks.take(visitOf(document, request.requestHeaders), request.key);
  }
}

function isDocument(headers: Readonly<Record<string, string>>): boolean {
  const dest = headers['sec-fetch-dest'];
  if (dest !== undefined)
    return dest === 'document' || dest === 'iframe' || dest === 'frame';
  return (headers.accept ?? '').startsWith('text/html');
}

function visitOf(document: string, headers: Readonly<Record<string, string>>): string {
  return [withoutFragment(document), headers.cookie ?? '', headers.authorization ?? '', headers['user-agent'] ?? ''].join('\n');
}

/** The page `request` was made from, when its `Referer` is a URL on the request's own origin. */
function documentOf(request: CacheRequest): string | undefined {
  const referer = request.requestHeaders.referer;
  if (!referer)
    return undefined;
  try {
    return new URL(referer).origin === new URL(request.url).origin ? referer : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The document request's headers that are the client's rather than the
 * document's (cookies, credentials, user agent, language, extra headers):
 * what the client would send with the bundle's own request. What only a
 * navigation sends, and its validators and reload directives, are left out.
 */
function clientHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !DOCUMENT_ONLY.has(name) && !name.startsWith('sec-fetch-') && !name.startsWith('if-')));
}

const DOCUMENT_ONLY = new Set(['accept', 'referer', 'origin', 'upgrade-insecure-requests', 'cache-control', 'pragma', 'range', 'priority', 'purpose', 'sec-purpose', 'content-length', 'content-type', 'host']);

/** The started checks of the most recent visits, by visit. */
class RecentVisits extends Map<string, Map<string, StartedCheck>> {
  override set(visit: string, started: Map<string, StartedCheck>): this {
    this.delete(visit);
    super.set(visit, started);
    if (this.size > MAX_VISITS)
      this.delete(this.keys().next().value!);
    return this;
  }
}
