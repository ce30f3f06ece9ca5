import type { LockManager } from '../disk/locks.js';
import type { StoreFs } from '../disk/storeFs.js';
import type { ProxyOptions } from '../types.js';
import type { BackendAnswer, CacheTicket, OriginFetcher, ProxyBackend } from './backend.js';
import { loadOrCreateAuthority } from './certificateAuthority.js';
import { LeafCertificates } from './leafCertificates.js';
import { resolveProxyOptions } from './proxyOptions.js';
import { ProxyServer } from './proxyServer.js';
import type { ProxyStats } from './proxyStats.js';

export interface StartProxyDeps {
  readonly dir: string;
  readonly fs: StoreFs;
  readonly locks: LockManager;
  readonly now: () => number;
  readonly backend: ProxyBackend;
  /** Wraps each resolution, so that closing the cache waits for it (a miss is fetched, stored and served). */
  readonly inflight: <T>(work: Promise<T>) => Promise<T>;
}

/**
 * A running proxy on an open cache (`cache.proxy()`): its address, and what
 * each kind of client needs to use it and trust its CA.
 *
 * ```ts
 * await using proxy = await cache.proxy();
 * const browser = await chromium.launch(proxy.launchOptions);
 * ```
 */
export class BundleCacheProxy implements AsyncDisposable {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Base64 sha256 of the CA's public key: Chromium's `--ignore-certificate-errors-spki-list`. */
  readonly spkiSha256: string;
  /** The CA certificate (PEM, no key): import it in Firefox, or give it to NODE_EXTRA_CA_CERTS / a client's `ca`. */
  readonly caCertificate: string;
  /** Where the CA certificate is: `<dir>/proxy/ca.pem`. */
  readonly caCertificatePath: string;
  readonly #server: ProxyServer;
  readonly #onClose: () => void;

  private constructor(server: ProxyServer, authority: { spkiSha256: string; certificate: string; certificatePath: string }, onClose: () => void) {
    this.#server = server;
    this.url = server.url;
    this.port = server.port;
    this.spkiSha256 = authority.spkiSha256;
    this.caCertificate = authority.certificate;
    this.caCertificatePath = authority.certificatePath;
    this.#onClose = onClose;
  }

  /** Validates `options` (`ERR_OPTIONS`), makes or reads the CA, listens (`ERR_PROXY_LISTEN`). */
  static async start(deps: StartProxyDeps, options: ProxyOptions | undefined, onClose: () => void): Promise<BundleCacheProxy> {
    const resolved = resolveProxyOptions(options);
    const authority = await loadOrCreateAuthority(deps.dir, deps.fs, deps.locks, deps.now);
    const backend: ProxyBackend = {
      mayCache: (host, port) => deps.backend.mayCache(host, port),
      accept: (request, fetchOrigin) => deps.backend.accept(request, fetchOrigin),
      resolve: (ticket: CacheTicket, fetchOrigin: OriginFetcher): Promise<BackendAnswer> => deps.inflight(deps.backend.resolve(ticket, fetchOrigin)),
    };
    const server = await ProxyServer.start({
      backend,
      certificates: new LeafCertificates(authority, deps.now),
      port: resolved.port,
      interceptHost: resolved.interceptHost,
      rejectUnauthorized: !resolved.ignoreHTTPSErrors,
    });
    return new BundleCacheProxy(server, authority, onClose);
  }

  /** For `chromium.launch()`: every context goes through the proxy and trusts its CA. */
  get launchOptions(): { proxy: { server: string }; args: string[] } {
    return { proxy: { server: this.url }, args: [`--ignore-certificate-errors-spki-list=${this.spkiSha256}`] };
  }

  /** For `browser.newContext()` of a browser launched with `trustArgs` (or with `ignoreHTTPSErrors: true` added). */
  get contextOptions(): { proxy: { server: string } } {
    return { proxy: { server: this.url } };
  }

  /** The Chromium flag that trusts the CA, for a browser whose proxy is set per context. */
  get trustArgs(): string[] {
    return [`--ignore-certificate-errors-spki-list=${this.spkiSha256}`];
  }

  /** Command-line flags for any Chromium (Puppeteer, Selenium): the proxy, loopback hosts through it too, and trust. */
  get chromiumArgs(): string[] {
    return [`--proxy-server=${this.url}`, '--proxy-bypass-list=<-loopback>', ...this.trustArgs];
  }

  stats(): ProxyStats {
    return this.#server.stats();
  }

  /** Stops accepting, lets requests in flight finish (a miss is stored), then closes every connection. */
  async close(): Promise<void> {
    await this.#server.close();
    this.#onClose();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
