import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { log } from '../log.js';
import type { ResolvedSessionOptions } from '../options/sessionOptions.js';
import type { ContextWatch, ContextWatcher } from './contextWatch.js';
import type { Lease, Leases } from './leases.js';
import type { SessionState } from './storageState.js';

/** What every session of one cache uses; `cache.session()` hands it over. */
export interface SessionDeps {
  /** Hand out, warm and revoke stored states. */
  readonly leases: Leases;
  /** Watches the contexts made with a state for rejections. */
  readonly watcher: ContextWatcher;
  /** Installs the bundle cache on a context the session made. */
  attach(context: BrowserContext): Promise<void>;
  /** Throws `ERR_CLOSED` once the cache is closed. */
  checkOpen(): void;
}

/**
 * A warmed session: a storage state earned once by `warm(context)`, kept
 * on disk for its TTL, shared by every process on the cache dir, and
 * dropped when the site rejects it. Made by `cache.session(name, options)`.
 *
 * ```ts
 * const alice = cache.session('alice', { warm: async context => { ... }, ttl: '1h' });
 * const context = await alice.newContext(browser);
 * ```
 */
export class Session {
  readonly name: string;
  readonly #options: ResolvedSessionOptions;
  readonly #deps: SessionDeps;
  #browser: Browser | undefined;

  /** @internal Use `cache.session(name, options)`. */
  constructor(name: string, options: ResolvedSessionOptions, deps: SessionDeps) {
    this.name = name;
    this.#options = options;
    this.#deps = deps;
  }

  /**
   * A new context with the session's state applied and the bundle cache
   * attached, warming first if nothing usable is stored. Its responses are
   * watched: one matching `rewarmOn` drops the state (see `run()`).
   * `contextOptions` are those of `browser.newContext()`, without
   * `storageState`; the user agent, proxy server, locale, time zone and
   * HTTP-auth user select which stored state (each has its own).
   */
  async newContext(browser: Browser, contextOptions: BrowserContextOptions = {}): Promise<BrowserContext> {
    return (await this.#open(browser, contextOptions)).context;
  }

  /**
   * The stored state (Playwright's storageState object, with IndexedDB
   * where supported), warming first if needed: with `browser`, or the last
   * browser this session was used with.
   */
  async storageState(browser?: Browser, contextOptions: BrowserContextOptions = {}): Promise<SessionState> {
    const lease = await this.lease(browser ?? this.#liveBrowser(), contextOptions);
    return structuredClone(lease.state);
  }

  /**
   * Runs `fn` with a new context of the session (closed afterwards) and
   * returns what it returns. If the site rejected the session meanwhile
   * (even if `fn` threw because of it), the state is dropped, warmed again
   * (once, by whichever process gets there first) and `fn` runs once more
   * in a new context. A second rejection throws `ERR_SESSION_REJECTED`.
   */
  async run<T>(browser: Browser, fn: (context: BrowserContext) => Promise<T> | T, contextOptions: BrowserContextOptions = {}): Promise<T> {
    let firstRejection: string | undefined;
    for (;;) {
      const { context, watch } = await this.#open(browser, contextOptions);
      let outcome: { value: T } | { error: unknown };
      try {
        outcome = { value: await fn(context) };
      } catch (error) {
        outcome = { error };
      }
      await context.close().catch(() => {});
      await watch.settled();
      if (!watch.rejection) {
        if ('error' in outcome)
          throw outcome.error;
        return outcome.value;
      }
      if (firstRejection !== undefined) {
        throw new BundleCacheError('ERR_SESSION_REJECTED',
            `The site rejected session ${JSON.stringify(this.name)} twice in a row in run(): ${firstRejection}, then ${watch.rejection} with a state warmed again after it. The state is dropped; run() gives up. ` +
            'Fix: check that warm() really logs in (the site accepts what it stores), and that rewarmOn matches only answers that mean "this session is burned".',
            { session: this.name, rejections: [firstRejection, watch.rejection] }, 'error' in outcome ? { cause: outcome.error } : undefined);
      }
      firstRejection = watch.rejection;
      log.debug(`session ${this.name}: run() saw a rejection (${watch.rejection}); warming again and running once more`);
    }
  }

  /** Drops every stored state of this session (each user agent, proxy… has its own): the next use warms again. */
  async invalidate(): Promise<void> {
    this.#deps.checkOpen();
    const dropped = await this.#deps.leases.revokeAll(this.name);
    log.debug(`session ${this.name}: invalidated ${dropped} stored state(s)`);
  }

  /** @internal A stored state for contexts made with `contextOptions` (the fixture applies it to its own context). */
  async lease(browser: Browser | undefined, contextOptions: BrowserContextOptions): Promise<Lease> {
    this.#deps.checkOpen();
    if (contextOptions.storageState !== undefined) {
      throw new BundleCacheError('ERR_OPTIONS',
          `contextOptions.storageState was given to session ${JSON.stringify(this.name)}, which supplies the state itself. Fix: remove storageState from the context options.`,
          { option: 'contextOptions.storageState', session: this.name });
    }
    if (browser)
      this.#browser = browser;
    return this.#deps.leases.acquire({ name: this.name, options: this.#options, browser, contextOptions });
  }

  /** @internal Watches a context made with `lease`'s state for rejections. */
  watch(context: BrowserContext, lease: Lease): ContextWatch {
    return this.#deps.watcher.watch(context, lease, this.#options);
  }

  async #open(browser: Browser, contextOptions: BrowserContextOptions): Promise<{ context: BrowserContext; watch: ContextWatch }> {
    const lease = await this.lease(browser, contextOptions);
    const context = await browser.newContext({ ...contextOptions, storageState: lease.state });
    const watch = this.watch(context, lease);
    try {
      await this.#deps.attach(context);
    } catch (error) {
      await context.close().catch(() => {});
      throw error;
    }
    return { context, watch };
  }

  #liveBrowser(): Browser | undefined {
    return this.#browser?.isConnected() ? this.#browser : undefined;
  }
}
