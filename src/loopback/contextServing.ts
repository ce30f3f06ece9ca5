import type { APIRequestContext, BrowserContext, Request } from 'playwright';
import { isLoopbackHost, type ServeContext } from './servePlan.js';

/**
 * What the cache knows about one attached context for serving hits through
 * the loopback server: whether it accepts the loopback certificate, which
 * page origins were granted Local Network Access (Chromium blocks a public
 * page from reaching 127.0.0.1 without it), and whether loopback already
 * failed there, in which case hits are fulfilled from then on.
 */
export class ContextServing implements ServeContext {
  readonly ignoresHttpsErrors: boolean;
  readonly browserIsRemote: boolean;
  /** The context's own request client (its cookies, headers, credentials): early checks are sent through it. */
  readonly api: APIRequestContext;
  loopbackBroken = false;
  readonly #context: BrowserContext;
  readonly #grants = new Map<string, Promise<boolean>>();
  readonly #viaLoopback = new WeakSet<Request>();
  readonly #onBroken: (reason: string) => void;

  constructor(context: BrowserContext, onBroken: (reason: string) => void) {
    this.#context = context;
    this.#onBroken = onBroken;
    this.api = context.request;
    // Neither is in Playwright's public API; an unknown shape means "assume not".
    const internals = context as unknown as { _options?: { ignoreHTTPSErrors?: boolean }; _connection?: { isRemote?: () => boolean } };
    this.ignoresHttpsErrors = internals._options?.ignoreHTTPSErrors === true;
    // A browser reached with chromium.connect() runs elsewhere: its 127.0.0.1 is not ours.
    this.browserIsRemote = internals._connection?.isRemote?.() === true;
  }

  /** Whether the page that made `request` may reach 127.0.0.1, granting it Local Network Access if needed. */
  async mayReachLoopback(request: Request): Promise<boolean> {
    const origin = initiatorOrigin(request);
    if (!origin)
      return false;
    if (isLoopbackHost(new URL(origin).hostname))
      return true;
    let granted = this.#grants.get(origin);
    if (!granted) {
      granted = this.#context.grantPermissions(['local-network-access'], { origin }).then(() => true, () => false);
      this.#grants.set(origin, granted);
    }
    return granted;
  }

  /** Remembers that `request` was sent to the loopback server, to notice if it fails there. */
  track(request: Request): void {
    this.#viaLoopback.add(request);
  }

  /** Called for the context's failed requests: a loopback one that failed turns loopback off here. */
  requestFailed(request: Request): void {
    if (!this.#viaLoopback.has(request) || this.loopbackBroken)
      return;
    const reason = request.failure()?.errorText ?? 'failed';
    // An aborted load (page closed, navigation away) says nothing about loopback.
    if (reason === 'net::ERR_ABORTED')
      return;
    this.loopbackBroken = true;
    this.#onBroken(`${request.url()}: ${reason}`);
  }
}

function initiatorOrigin(request: Request): string | undefined {
  try {
    const url = new URL(request.frame().url());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    // Service-worker requests have no frame; a frame may have detached.
    return undefined;
  }
}
