import type { APIRequestContext, Frame, Request } from 'playwright';
import type { EntryMeta } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import type { Resolution } from '../core/resolution.js';
import { entryFacts } from '../freshness/entryFreshness.js';
import { requestWantsFresh } from '../freshness/policy.js';
import { log } from '../log.js';
import type { Resolver } from '../engine/resolver.js';
import { requestContextOrigin } from './routeOrigin.js';

/** How long after its document was requested an early check still stands for the page's own request. */
export const EARLY_CHECK_WINDOW_MS = 30_000;
/** Documents remembered (the least recently visited is forgotten first), and entries per document. */
const MAX_DOCUMENTS = 256;
const MAX_ENTRIES_PER_DOCUMENT = 32;

/** A check started at a document's request: what the resolver made of it. */
export type EarlyCheck = Promise<Resolution>;

/** What a visit of a document asked for, to check it again at the next visit: the request minus its moment. */
interface Used {
  readonly request: Omit<CacheRequest, 'arrivedAt' | 'wantsFresh'>;
  /** The URL as the page asked for it (its exact escapes), which is what the origin is asked for. */
  readonly fetchUrl: string;
}

interface Started {
  readonly at: number;
  readonly check: EarlyCheck;
}

/**
 * Early checks: an unversioned bundle (`main.dart.js` as Flutter names it)
 * must be checked with the origin before use, and the page's request for it
 * comes only after the document and its bootstrap have loaded. So the cache
 * remembers which such entries each document used, and when a frame requests
 * that document again, it starts their checks at once, through the new
 * context's own request client (its cookies, headers and credentials,
 * as `route.fetch()` uses). The bundle's request then gets the entry that
 * check confirmed or stored, once, instead of waiting for its own round trip;
 * a check that failed is left to the request's own, silently. Only entries
 * in memory that the judge would check anyway are checked; all of this is
 * kept in memory, nothing of it is written.
 */
export class EarlyChecks {
  readonly #now: () => number;
  readonly #dueForCheck: (request: CacheRequest) => boolean;
  readonly #resolver: Resolver;
  readonly #track: (work: Promise<unknown>) => void;
  /** Per document URL (no fragment), most recently visited last. */
  readonly #documents = new Map<string, Map<string, Used>>();
  /** Per frame, the checks started for its current document, by key. */
  readonly #started = new WeakMap<Frame, Map<string, Started>>();

  constructor(deps: { now: () => number; dueForCheck: (request: CacheRequest) => boolean; resolver: Resolver; track: (work: Promise<unknown>) => void }) {
    this.#now = deps.now;
    this.#dueForCheck = deps.dueForCheck;
    this.#resolver = deps.resolver;
    this.#track = deps.track;
  }

  /**
   * A page's `request` for `requestedUrl` (as the page asked for it, before
   * any rerouting), answered with `meta`: remembered for its document if that
   * entry is checked before use.
   */
  learn(request: Request, requestedUrl: string, cacheRequest: CacheRequest, meta: EntryMeta): void {
    const mode = cacheRequest.rule.revalidate;
    // Varying entries are left to their own requests: an early check could only send the last visit's headers.
    if (mode === 'never' || meta.vary)
      return;
    const document = frameOf(request)?.url();
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
   * A frame's document is requested: the checks its entries are due for
   * start now, in the background. A navigation drops what an earlier
   * document of the frame had started and not used.
   */
  navigated(request: Request, api: APIRequestContext): void {
    const frame = frameOf(request);
    if (!frame)
      return;
    const started = new Map<string, Started>();
    this.#started.set(frame, started);
    // A document asked for fresh (the context's extra headers, say): its bundles ask too, and each checks on its own.
    if (requestWantsFresh(request.headers()))
      return;
    const url = withoutFragment(request.url());
    const used = this.#documents.get(url);
    if (!used)
      return;
    this.#documents.delete(url);
    this.#documents.set(url, used);
    for (const [key, { request: known, fetchUrl }] of used) {
      const at = this.#now();
      const candidate: CacheRequest = { ...known, wantsFresh: false, arrivedAt: at, early: true };
      if (!this.#dueForCheck(candidate))
        continue;
      log.debug(`check ${known.url} early, at the request of its document ${url}`);
      const check = this.#resolver.resolve(candidate, requestContextOrigin(api, fetchUrl));
      this.#track(check);
      started.set(key, { at, check });
    }
  }

  /** The early check of `key` for the document of the frame that sent `request`, if one was started; each is used once. */
  take(request: Request, key: string): EarlyCheck | undefined {
    const frame = frameOf(request);
    const started = frame && this.#started.get(frame);
    const found = started?.get(key);
    if (!found)
      return undefined;
    started!.delete(key);
    return this.#now() - found.at <= EARLY_CHECK_WINDOW_MS ? found.check : undefined;
  }
}

/**
 * Of the last visit's request headers, those its document and the kind of
 * request decide, the same at the next visit: what it accepts, and its
 * `Origin` (a CDN's CORS answer depends on it) and `Referer`. The rest (user
 * agent, extra headers, cookies, credentials) is the new context's own, which
 * its request client adds: one context's headers never reach another's request.
 */
function documentHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => DOCUMENT_HEADERS.has(name)));
}

const DOCUMENT_HEADERS = new Set(['accept', 'origin', 'referer']);

function frameOf(request: Request): Frame | undefined {
  try {
    return request.frame();
  } catch {
    // Service-worker requests have no frame, and a popup's first navigation may have none yet.
    return undefined;
  }
}

function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}
