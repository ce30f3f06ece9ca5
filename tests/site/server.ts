import { CdnServer } from './cdn.js';
import { type Deploy, Deploys } from './deploys.js';
import type { Redirect } from './handler.js';
import { makeLayout } from './layouts.js';
import { Listener } from './listener.js';
import { checkBandwidth, checkLatency, resolveOptions, type SiteOptions } from './options.js';
import { Origin, type Shared } from './origin.js';
import { checkProfile, type OriginProfile } from './profiles.js';
import { type RedirectStatus, type RedirectTarget, Redirects, versionedPath } from './redirects.js';
import { type Resource, Resources, type Snapshot } from './resources.js';
import type { Site, SiteLayout } from './site.js';

export type { BodyCut, Fault } from './faults.js';
export type { Deploy } from './deploys.js';
export type { SiteOptions } from './options.js';
export { ORIGIN_PROFILES, type OriginProfile } from './profiles.js';
export type { RedirectStatus, RedirectTarget } from './redirects.js';
export type { HeaderMap } from './resources.js';
export type { CdnOrigin, OriginFiles, Site, SiteLayout } from './site.js';
export type { RequestRecord, StatusCounts } from './traffic.js';
export { loadApp, loadFlutterApp, reloadFlutterApp, type FlutterReport, type SiteReport } from './report.js';
export { syntheticBundle } from './synthetic.js';
export { siteCertificate } from './tls.js';

/** Starts a site and its CDN origin, each on a random free port unless given one. */
export function startSite(options: SiteOptions = {}): Promise<Site> {
  return SiteServer.start(options);
}

// The `/build/` versioned copies are long-lived, as a host configures hashed files.
const VERSIONED_CACHE_CONTROL = 'public, max-age=31536000, immutable';

class SiteServer extends Origin implements Site {
  readonly pageUrl: string;
  readonly layout: SiteLayout;
  readonly cdn: CdnServer;
  readonly #deploys: Deploys;
  readonly #redirects = new Redirects();
  readonly #closing: AbortController;
  #profile: OriginProfile | undefined;

  private constructor(listener: Listener, resources: Resources, shared: Shared, init: {
    layout: SiteLayout; profile: OriginProfile | undefined; deploys: Deploys; cdn: CdnServer; closing: AbortController;
  }) {
    super(listener, resources, shared);
    this.pageUrl = this.origin + '/';
    this.layout = init.layout;
    this.#profile = init.profile;
    this.#deploys = init.deploys;
    this.cdn = init.cdn;
    this.#closing = init.closing;
  }

  static async start(options: SiteOptions): Promise<SiteServer> {
    const resolved = resolveOptions(options);
    const { https, host, clock } = resolved;
    const closing = new AbortController();
    const shared: Shared = {
      settings: { latencyMs: resolved.latencyMs, bandwidthBytesPerSec: resolved.bandwidthBytesPerSec, gzip: resolved.gzip },
      clock,
      closing: closing.signal,
    };
    const siteListener = await Listener.listen({ https, host, port: resolved.port });
    let cdnListener: Listener;
    try {
      cdnListener = await Listener.listen({ https, host, port: resolved.cdnPort });
    } catch (error) {
      await siteListener.close();
      throw error;
    }
    const deploys = new Deploys(resolved.version, clock);
    // The CDN's files do not depend on the deploy or the profile.
    const snapshot = (): Snapshot => ({ deploy: deploys.current, profile: 'netlify' });
    const { layout, build } = makeLayout(resolved, cdnListener.origin);
    const cdn = new CdnServer(cdnListener, build, resolved.engineRevision, shared, snapshot);
    const site = new SiteServer(siteListener, new Resources(layout), shared, {
      layout: resolved.layout, profile: resolved.profile, deploys, cdn, closing,
    });
    site.#precompress();
    return site;
  }

  get profile(): OriginProfile | undefined {
    return this.#profile;
  }

  setProfile(profile: OriginProfile): void {
    if (this.layout !== 'flutter')
      throw new Error(`setProfile(${JSON.stringify(profile)}): the legacy layout has fixed headers; start the site with { layout: 'flutter' } to use origin profiles`);
    this.#profile = checkProfile(profile);
  }

  get version(): number {
    return this.#deploys.current.version;
  }

  get deployment(): Deploy {
    return this.#deploys.current;
  }

  deploy(version?: number): Deploy {
    const deploy = this.#deploys.deploy(version);
    this.#precompress();
    return deploy;
  }

  setVersion(n: number): void {
    this.deploy(n);
  }

  setLatency(ms: number): void {
    this.shared.settings.latencyMs = checkLatency(ms);
  }

  setBandwidth(bytesPerSec: number | undefined): void {
    this.shared.settings.bandwidthBytesPerSec = checkBandwidth(bytesPerSec);
  }

  setGzip(on: boolean): void {
    this.shared.settings.gzip = on;
    this.#precompress();
  }

  resetCounters(): void {
    this.traffic.reset();
    this.cdn.resetCounters();
  }

  clearFailures(): void {
    this.faults.clear();
    this.cdn.clearFailures();
  }

  redirect(pathname: string, to: RedirectTarget, status?: RedirectStatus): void {
    this.#redirects.set(pathname, to, status);
  }

  clearRedirects(): void {
    this.#redirects.clear();
  }

  versionedPath(pathname: string, version?: number): string {
    return versionedPath(pathname, this.body(pathname, version));
  }

  protected snapshot(version?: number): Snapshot {
    const deploy = version === undefined ? this.#deploys.current : this.#deploys.of(version);
    return { deploy, profile: this.#profile ?? 'netlify' };
  }

  protected override lookup(pathname: string): Resource | Redirect | undefined {
    const rule = this.#redirects.get(pathname);
    if (!rule)
      return super.lookup(pathname);
    if (rule.to === 'cdn')
      return { status: rule.status, location: this.cdn.canvaskitBaseUrl + pathname.slice(pathname.lastIndexOf('/') + 1) };
    const source = this.resolve(pathname, this.snapshot());
    return source && { status: rule.status, location: versionedPath(pathname, source.body) };
  }

  /** Adds the `/build/` copies of redirected files to the layout's. */
  protected override resolve(pathname: string, snapshot: Snapshot): Resource | undefined {
    if (pathname.startsWith('/build/')) {
      for (const source of this.#redirects.versionedSources()) {
        const resource = this.resources.resolve(source, snapshot);
        if (resource && versionedPath(source, resource.body) === pathname)
          return { ...resource, headers: { ...resource.headers, 'cache-control': VERSIONED_CACHE_CONTROL }, expiresInSec: undefined };
      }
    }
    return super.resolve(pathname, snapshot);
  }

  #precompress(): void {
    this.precompress();
    this.cdn.precompress();
  }

  close(): Promise<void> {
    this.#closing.abort();
    return Promise.all([this.listener.close(), this.cdn.close()]).then(() => {});
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
