import type { EntryMeta } from '../core/meta.js';
import type { Origin } from '../core/origin.js';
import type { CacheRequest } from '../core/request.js';
import type { Resolution } from '../core/resolution.js';
import { entryFacts } from '../freshness/entryFreshness.js';
import { requestWantsFresh } from '../freshness/policy.js';
import { varyMatches } from '../http/storePolicy.js';
import { log } from '../log.js';
import type { Resolver } from './resolver.js';

/** How long after its document was requested an early check still stands for the page's own request. */
export const EARLY_CHECK_WINDOW_MS = 30_000;
/** Documents remembered (the least recently visited is forgotten first), and entries per document. */
const MAX_DOCUMENTS = 256;
const MAX_ENTRIES_PER_DOCUMENT = 32;

/** A check started at a document's request: what the resolver made of it. */
export type EarlyCheck = Promise<Resolution>;

export interface StartedCheck {
  readonly at: number;
  readonly check: EarlyCheck;
}

/**
 * Where the checks started for one visit of a document are kept, by the
 * scope that may take them: the route keys them by frame (a WeakMap), the
 * proxy by the document and the client's credentials (a bounded map).
 */
export interface StartedChecks<S> {
  get(scope: S): Map<string, StartedCheck> | undefined;
  set(scope: S, started: Map<string, StartedCheck>): void;
}

/** What a visit of a document asked for, to check it again at the next visit: the request minus its moment. */
interface Used {
  readonly request: Omit<CacheRequest, 'arrivedAt' | 'wantsFresh'>;
  /** The URL as the page asked for it (its exact escapes), which is what the origin is asked for. */
  readonly fetchUrl: string;
}

export interface DocumentChecksDeps<S> {
  readonly now: () => number;
  readonly dueForCheck: (request: CacheRequest) => boolean;
  readonly resolver: Resolver;
  readonly track: (work: Promise<unknown>) => void;
  readonly started: StartedChecks<S>;
}

/**
 * Early checks, whichever way in: an unversioned bundle (`main.dart.js` as
 * Flutter names it) must be checked with the origin before use, and the
 * page's request for it comes only after the document and its bootstrap
 * have loaded. So the cache remembers which such entries each document
 * used, and when that document is requested again, it starts their checks
 * at once. The bundle's request then gets the entry that check confirmed
 * or stored, once, instead of waiting for its own round trip; a check that
 * failed is left to the request's own, silently. Only entries in memory that
 * the judge would check anyway are checked; all of this is kept in memory,
 * nothing of it is written. The route (route/earlyChecks.ts) and the proxy
 * (proxy/proxyEarlyChecks.ts) say what a document, a scope and the origin are.
 */
export class DocumentChecks<S> {
  readonly #deps: DocumentChecksDeps<S>;
  /** Per document URL (no fragment), most recently visited last. */
  readonly #documents = new Map<string, Map<string, Used>>();

  constructor(deps: DocumentChecksDeps<S>) {
    this.#deps = deps;
  }

  /** Whether a request of `documentUrl` would start checks: a map lookup, for ways in that must not read every request's headers. */
  knows(documentUrl: string): boolean {
    return this.#documents.has(withoutFragment(documentUrl));
  }

  /**
   * An entry served for a request of `document` (the page's URL), asked for
   * as `requestedUrl` (before any rerouting): remembered for that document
   * if it is checked before use.
   */
  learn(document: string | undefined, requestedUrl: string, cacheRequest: CacheRequest, meta: EntryMeta): void {
    const mode = cacheRequest.rule.revalidate;
    // Varying entries are left to their own requests: an early check could only send the last visit's headers.
    if (mode === 'never' || meta.vary)
      return;
    if (!document || !/^https?:/.test(document))
      return;
    const facts = entryFacts(meta);
    if (!facts.hasValidators || (facts.immutable && mode !== 'always'))
      return;
    const url = withoutFragment(document);
    let used = this.#documents.get(url);
    if (!used) {
      used = new Map();
      this.#documents.set(url, used);
      if (this.#documents.size > MAX_DOCUMENTS)
        this.#documents.delete(this.#documents.keys().next().value!);
    }
    if (used.size < MAX_ENTRIES_PER_DOCUMENT || used.has(cacheRequest.key)) {
      const { key, url: normalized, rule, requestHeaders } = cacheRequest;
      used.set(key, { request: { key, url: normalized, rule, requestHeaders: documentHeaders(requestHeaders) }, fetchUrl: requestedUrl });
    }
  }

  /**
   * `documentUrl` is requested in `scope`, with `headers`: the checks its
   * entries are due for start now, in the background, each asking the
   * origin `originFor(fetchUrl)` gives, with `extraHeaders` added to the
   * last visit's document headers. A new visit drops what an earlier
   * document of the scope had started and not used.
   */
  navigated(scope: S, documentUrl: string, headers: Readonly<Record<string, string>>, originFor: (fetchUrl: string) => Origin, extraHeaders: Readonly<Record<string, string>> = {}): void {
    const { started: startedChecks, now, dueForCheck, resolver, track } = this.#deps;
    const started = new Map<string, StartedCheck>();
    startedChecks.set(scope, started);
    // A document asked for fresh (the context's extra headers, say): its bundles ask too, and each checks on its own.
    if (requestWantsFresh(headers))
      return;
    const url = withoutFragment(documentUrl);
    const used = this.#documents.get(url);
    if (!used)
      return;
    this.#documents.delete(url);
    this.#documents.set(url, used);
    for (const [key, { request: known, fetchUrl }] of used) {
      const at = now();
      const candidate: CacheRequest = { ...known, requestHeaders: { ...extraHeaders, ...known.requestHeaders }, wantsFresh: false, arrivedAt: at, early: true };
      if (!dueForCheck(candidate))
        continue;
      log.debug(`check ${known.url} early, at the request of its document ${url}`);
      const check = resolver.resolve(candidate, originFor(fetchUrl));
      track(check);
      started.set(key, { at, check });
    }
  }

  /** The early check of `key` started for `scope`'s current document, if one was; each is used once. */
  take(scope: S | undefined, key: string): EarlyCheck | undefined {
    const started = scope === undefined ? undefined : this.#deps.started.get(scope);
    const found = started?.get(key);
    if (!found)
      return undefined;
    started!.delete(key);
    return this.#deps.now() - found.at <= EARLY_CHECK_WINDOW_MS ? found.check : undefined;
  }
}

/**
 * What a way in answers `request` with: the outcome of the early check
 * `take` hands over, when it may answer it, else `resolve()`. A request that
 * asks for a fresh copy takes no early check. An early check may answer
 * only with an entry it confirmed (a 304) or a new body it stored, and only
 * if that body does not vary on headers this request sent otherwise;
 * anything else (a failure, a status that is not stored, a redirect) is
 * left to the request's own check.
 */
export async function earlyOrResolve(request: CacheRequest, take: () => EarlyCheck | undefined, resolve: () => Promise<Resolution>): Promise<Resolution> {
  const checked = request.wantsFresh ? undefined : await take();
  if (checked?.kind === 'served' && checked.request.key === request.key && varyMatches(checked.response.meta.vary, request.requestHeaders))
    return checked;
  return resolve();
}

/**
 * Of the last visit's request headers, those its document and the kind of
 * request decide, the same at the next visit: what it accepts, and its
 * `Origin` (a CDN's CORS answer depends on it) and `Referer`. The rest (user
 * agent, extra headers, cookies, credentials) is the new visit's own, which
 * the way in adds: one client's headers never reach another's request.
 */
function documentHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => DOCUMENT_HEADERS.has(name)));
}

const DOCUMENT_HEADERS = new Set(['accept', 'origin', 'referer']);

export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}
