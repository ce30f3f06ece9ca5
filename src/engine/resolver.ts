import { BundleCacheError, asCacheError } from '../errors.js';
import type { HeldLock, LockManager } from '../disk/locks.js';
import type { CachedResponse } from '../disk/meta.js';
import type { DiskTier } from '../disk/diskTier.js';
import type { FreshnessJudge } from '../freshness/judge.js';
import { log } from '../log.js';
import { isClosedError } from './closed.js';
import type { OriginFetch } from './origin.js';
import type { CacheRequest } from './parts.js';
import { checkWithOrigin, type RevalidationDeps } from './revalidateEntry.js';
import type { StatsCounter } from './stats.js';
import { storeFetched, type Fetched } from './storeFetched.js';
import type { Tier, TierName } from './tier.js';
import type { RemoteLevel } from '../remote/remoteLevel.js';

/** How long to wait for another process that is fetching the same key before fetching without storing. */
export const KEY_LOCK_TIMEOUT_MS = 60_000;

export type Resolution =
  /** A stored entry served from a tier; `revalidated` when the origin just answered 304 for it. */
  | { readonly kind: 'hit'; readonly source: Exclude<TierName, 'memory'>; readonly response: CachedResponse; readonly revalidated: boolean }
  /** Fetched from the origin; `stored` when it was written to the cache. */
  | Fetched
  /** Offline mode and not cached. */
  | { readonly kind: 'offline'; readonly error: BundleCacheError }
  /** Let the browser fetch it itself (the cache could not); `reason`: why the fetch failed, when it did. */
  | { readonly kind: 'fallback'; readonly reason?: string }
  /** The page or context went away. */
  | { readonly kind: 'closed' };

export interface ResolverDeps extends RevalidationDeps {
  /** The tiers behind memory, in the order they are asked: the disk tier first, then any shared one. */
  readonly tiers: readonly [DiskTier, ...Tier[]];
  /** The shared tier, if any: it also offers fleet-wide single flight before the origin. */
  readonly remote: RemoteLevel | undefined;
  readonly locks: LockManager;
  readonly stats: StatsCounter;
  readonly judge: FreshnessJudge;
  readonly dir: string;
  readonly offline: boolean;
  /** How long a miss waits for another process that is fetching the same key. */
  readonly keyLockTimeoutMs: number;
  /** Background work (touches) that `close()` waits for. */
  readonly track: (work: Promise<unknown>) => void;
}

/**
 * Everything past the memory tier, one origin request per key: the tiers are
 * asked in order, a hit fills the faster ones, and the origin is asked last.
 * Concurrent requests of this process share one promise; across processes
 * the key's lock makes one process fetch or revalidate while the others wait
 * and then read what it wrote.
 */
export class Resolver {
  readonly #deps: ResolverDeps;
  /** Per key, the request being resolved; `early`: an early check, which leaves its failures to the page's own request. */
  readonly #inflight = new Map<string, { readonly promise: Promise<Resolution>; readonly early: boolean }>();

  constructor(deps: ResolverDeps) {
    this.#deps = deps;
  }

  /**
   * `shared` is true when this request joined another one's fetch. `known`:
   * the memory tier's copy, due for a check: the disk tier reuses its bytes
   * while meta.json still names them, instead of reading and hashing them again.
   */
  async resolve(request: CacheRequest, fetchOrigin: OriginFetch, known?: CachedResponse): Promise<{ resolution: Resolution; shared: boolean }> {
    const pending = this.#inflight.get(request.key);
    if (pending) {
      const resolution = await pending.promise;
      // An early check's failure is silent and meant for nobody: a request that joined it gets its own turn.
      if (!(pending.early && !request.early && resolution.kind === 'fallback'))
        return { resolution, shared: true };
      return this.resolve(request, fetchOrigin, known);
    }
    const promise = this.#lead(request, fetchOrigin, known).finally(() => this.#inflight.delete(request.key));
    this.#inflight.set(request.key, { promise, early: request.early === true });
    return { resolution: await promise, shared: false };
  }

  async #lead(request: CacheRequest, fetchOrigin: OriginFetch, known: CachedResponse | undefined): Promise<Resolution> {
    const deps = this.#deps;
    const [disk] = deps.tiers;
    // Readers never lock: a fresh entry on disk is served without waiting for anyone.
    const unlocked = await disk.lookup(request, false, known);
    if (unlocked && deps.judge.decide(unlocked.meta, request) === 'serve')
      return this.#hit(request, unlocked, disk, undefined);
    if (deps.offline)
      return { kind: 'offline', error: offlineMiss(request, deps.dir) };
    const lock = await this.#lock(request);
    try {
      return await this.#walk(request, fetchOrigin, lock, unlocked);
    } catch (error) {
      if (isClosedError(error))
        return { kind: 'closed' };
      throw error;
    } finally {
      await lock?.release();
    }
  }

  /** Under the key's lock (when it could be had): each tier in turn, then the origin. */
  async #walk(request: CacheRequest, fetchOrigin: OriginFetch, lock: HeldLock | undefined, unlocked: CachedResponse | undefined): Promise<Resolution> {
    const deps = this.#deps;
    for (const tier of deps.tiers) {
      // Under the lock the disk tier reads meta.json again, and its body only if that names another one.
      const found = lock || tier !== deps.tiers[0] ? await tier.lookup(request, lock !== undefined, unlocked) : unlocked;
      if (!found)
        continue;
      const decision = deps.judge.decide(found.meta, request);
      if (decision === 'serve')
        return this.#hit(request, found, tier, lock);
      log.debug(`${decision === 'refetch' ? 'expired' : 'check'} ${request.url} in the ${tier.name} tier (${found.meta.freshness?.kind ?? 'written by an earlier release'}, stored ${found.meta.storedAt}) -> ${decision}`);
      if (decision === 'revalidate')
        return checkWithOrigin(deps, request, { response: found, from: tier.name }, fetchOrigin, lock, () => this.#fetch(request, fetchOrigin, lock));
      // 'refetch': a slower tier may hold a fresher copy.
    }
    return this.#fromOrigin(request, fetchOrigin, lock);
  }

  /** The origin, once per key in the fleet when the shared tier has fleet locks: the others wait for its record. */
  async #fromOrigin(request: CacheRequest, fetchOrigin: OriginFetch, lock: HeldLock | undefined): Promise<Resolution> {
    const { remote, judge } = this.#deps;
    if (!remote || !lock)
      return this.#fetch(request, fetchOrigin, lock);
    const flight = await remote.singleFlight(request);
    if (flight.kind === 'found') {
      const decision = judge.decide(flight.response.meta, request);
      if (decision === 'serve')
        return this.#hit(request, flight.response, remote, lock);
      // As for an entry the walk found: a revalidated one is checked (a 304 costs no body), not fetched whole.
      if (decision === 'revalidate')
        return checkWithOrigin(this.#deps, request, { response: flight.response, from: remote.name }, fetchOrigin, lock, () => this.#fetch(request, fetchOrigin, lock));
      return this.#fetch(request, fetchOrigin, lock);
    }
    const resolution = await this.#fetch(request, fetchOrigin, lock);
    if (flight.lock && resolution.kind === 'fetched' && resolution.stored)
      await remote.fill(resolution.stored, undefined, flight.lock);
    else
      await flight.lock?.release();
    return resolution;
  }

  async #lock(request: CacheRequest): Promise<HeldLock | undefined> {
    const deps = this.#deps;
    const { store } = deps.tiers[0];
    const paths = store.paths(request.key, request.url);
    try {
      await store.ensureDir(paths.dir);
      const lock = await deps.locks.acquire(paths.base, deps.keyLockTimeoutMs);
      await store.clearDebris(paths);
      return lock;
    } catch (error) {
      deps.report(asCacheError(error), request.url);
      return undefined;
    }
  }

  async #fetch(request: CacheRequest, fetchOrigin: OriginFetch, lock: HeldLock | undefined): Promise<Resolution> {
    const deps = this.#deps;
    let origin;
    try {
      origin = await fetchOrigin();
    } catch (error) {
      if (isClosedError(error))
        return { kind: 'closed' };
      const reason = (error as Error).message.split('\n')[0];
      deps.report(new BundleCacheError('ERR_FETCH_FAILED', `Fetching ${request.url} failed (${reason}); the browser fetches it itself.`, { url: request.url }, { cause: error }), request.url);
      return { kind: 'fallback', reason };
    }
    const fetched = await storeFetched(deps, request, origin, lock);
    if (fetched.stored)
      deps.judge.markChecked(request.key);
    return fetched;
  }

  /** Serves a tier's entry, filling the faster tiers with it first. */
  async #hit(request: CacheRequest, response: CachedResponse, tier: Tier, lock: HeldLock | undefined): Promise<Resolution> {
    const deps = this.#deps;
    const [disk] = deps.tiers;
    if (tier === disk)
      deps.track(disk.store.touch(disk.store.paths(request.key, request.url), deps.now()));
    else if (await disk.fill(response, lock))
      deps.afterStore(response, tier.name);
    await deps.memory.fill(response);
    return { kind: 'hit', source: tier.name === 'memory' ? 'disk' : tier.name, response, revalidated: false };
  }
}

function offlineMiss(request: CacheRequest, dir: string): BundleCacheError {
  return new BundleCacheError('ERR_OFFLINE_MISS',
      `Offline mode: ${request.url} is not in the cache at ${dir}. Fix: warm the cache first (run once with mode 'default', or \`npx bundle-cache warm ${request.url}\`), or use mode 'default'.`,
      { url: request.url, dir });
}
