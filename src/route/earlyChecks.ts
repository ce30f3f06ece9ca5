import type { APIRequestContext, Frame, Request } from 'playwright';
import type { EntryMeta } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import { DocumentChecks, type DocumentChecksDeps, type EarlyCheck, type StartedCheck } from '../engine/documentChecks.js';
import { requestContextOrigin } from './routeOrigin.js';

export { EARLY_CHECK_WINDOW_MS } from '../engine/documentChecks.js';

/**
 * Early checks for pages the route serves (see engine/documentChecks.ts):
 * a document is the URL of the frame that sent the request, the checks a
 * document's request starts are that frame's, and they ask the origin
 * through the new context's own request client (its cookies, headers and
 * credentials, as `route.fetch()` uses).
 */
export class EarlyChecks {
  readonly #checks: DocumentChecks<Frame>;

  constructor(deps: Omit<DocumentChecksDeps<Frame>, 'started'>) {
    this.#checks = new DocumentChecks({ ...deps, started: new WeakMap<Frame, Map<string, StartedCheck>>() });
  }

  /**
   * A page's `request` for `requestedUrl` (as the page asked for it, before
   * any rerouting), answered with `meta`: remembered for its document if that
   * entry is checked before use.
   */
  learn(request: Request, requestedUrl: string, cacheRequest: CacheRequest, meta: EntryMeta): void {
    this.#checks.learn(frameOf(request)?.url(), requestedUrl, cacheRequest, meta);
  }

  /** A frame's document is requested: the checks its entries are due for start now, in the background. */
  navigated(request: Request, api: APIRequestContext): void {
    const frame = frameOf(request);
    if (frame)
      this.#checks.navigated(frame, request.url(), request.headers(), fetchUrl => requestContextOrigin(api, fetchUrl));
  }

  /** The early check of `key` for the document of the frame that sent `request`, if one was started; each is used once. */
  take(request: Request, key: string): EarlyCheck | undefined {
    return this.#checks.take(frameOf(request), key);
  }
}

function frameOf(request: Request): Frame | undefined {
  try {
    return request.frame();
  } catch {
    // Service-worker requests have no frame, and a popup's first navigation may have none yet.
    return undefined;
  }
}
