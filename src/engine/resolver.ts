import { BundleCacheError } from '../errors.js';
import type { HeldLock, LockManager } from '../disk/locks.js';
import type { CachedResponse } from '../disk/meta.js';
import type { FreshnessJudge } from '../freshness/judge.js';
import { log } from '../log.js';
import { isClosedError } from './closed.js';
import type { OriginFetch } from './origin.js';
import type { CacheRequest } from './parts.js';
import { checkWithOrigin, type RevalidationDeps } from './revalidateEntry.js';
import type { StatsCounter } from './stats.js';
import { asCacheError, storeFetched, type Fetched, type StoreDeps } from './storeFetched.js';

/** How long to wait for another process that is fetching the same key before fetching without storing. */
export const KEY_LOCK_TIMEOUT_MS = 60_000;

export type Resolution =
  /** A stored entry served; `revalidated` when the origin just answered 304 for it. */
  | { readonly kind: 'hit'; readonly source: 'disk'; readonly response: CachedResponse; readonly revalidated: boolean }
  /** Fetched from the origin; `stored` when it was written to the cache. */
  | Fetched
  /** Offline mode and not cached. */
  | { readonly kind: 'offline'; readonly error: BundleCacheError }
  /** Let the browser fetch it itself (the cache could not). */
  | { readonly kind: 'fallback' }
  /** The page or context went away. */
  | { readonly kind: 'closed' };

export interface ResolverDeps extends StoreDeps, RevalidationDeps {
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
 * Everything past the memory tier, one origin request per key: concurrent
 * requests of this process share one promise, and across processes the
 * key's lock makes one process fetch or revalidate while the others wait and
 * then read what it wrote.
 */
export class Resolver {
  readonly #deps: ResolverDeps;
  readonly #inflight = new Map<string, Promise<Resolution>>();

  constructor(deps: ResolverDeps) {
    this.#deps = deps;
  }

  /** `shared` is true when this request joined another one's fetch. */
  async resolve(request: CacheRequest, fetchOrigin: OriginFetch): Promise<{ resolution: Resolution; shared: boolean }> {
    const pending = this.#inflight.get(request.key);
    if (pending)
      return { resolution: await pending, shared: true };
    const promise = this.#lead(request, fetchOrigin).finally(() => this.#inflight.delete(request.key));
    this.#inflight.set(request.key, promise);
    return { resolution: await promise, shared: false };
  }

  async #lead(request: CacheRequest, fetchOrigin: OriginFetch): Promise<Resolution> {
    const deps = this.#deps;
    // Readers never lock; a corrupt-looking entry may be one being written right now, so it is judged under the lock.
    const unlocked = await this.#readDisk(request, false);
    if (unlocked && deps.judge.decide(unlocked.meta, request) === 'serve')
      return this.#hit(request, unlocked);
    if (deps.offline)
      return { kind: 'offline', error: offlineMiss(request, deps.dir) };
    const paths = deps.store.paths(request.key, request.url);
    let lock: HeldLock | undefined;
    try {
      await deps.store.ensureDir(paths.dir);
      lock = await deps.locks.acquire(paths.base, deps.keyLockTimeoutMs);
      await deps.store.clearDebris(paths);
    } catch (error) {
      deps.report(asCacheError(error), request.url);
    }
    try {
      const stored = lock ? await this.#readDisk(request, true) : unlocked;
      const decision = stored ? deps.judge.decide(stored.meta, request) : 'refetch';
      if (stored && decision === 'serve')
        return this.#hit(request, stored);
      if (stored && decision === 'revalidate')
        return await checkWithOrigin(deps, request, stored, fetchOrigin, lock, () => this.#fetch(request, fetchOrigin, lock));
      return await this.#fetch(request, fetchOrigin, lock);
    } catch (error) {
      if (isClosedError(error))
        return { kind: 'closed' };
      throw error;
    } finally {
      await lock?.release();
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
      deps.report(new BundleCacheError('ERR_FETCH_FAILED', `Fetching ${request.url} failed (${(error as Error).message.split('\n')[0]}); the browser fetches it itself.`, { url: request.url }, { cause: error }), request.url);
      return { kind: 'fallback' };
    }
    const fetched = await storeFetched(deps, request, origin, lock);
    if (fetched.stored)
      deps.judge.markChecked(request.key);
    return fetched;
  }

  #hit(request: CacheRequest, response: CachedResponse): Resolution {
    const deps = this.#deps;
    deps.memory.set(request.key, response).forEach(key => log.debug(`evict memory ${key}`));
    deps.track(deps.store.touch(deps.store.paths(request.key, request.url), deps.now()));
    return { kind: 'hit', source: 'disk', response, revalidated: false };
  }

  /** An intact entry from disk, or undefined (absent, or corrupt: reported when judged under the lock). */
  async #readDisk(request: CacheRequest, judgeCorruption: boolean): Promise<CachedResponse | undefined> {
    const read = await this.#deps.store.read(request.key, request.url);
    if (read.kind === 'corrupt') {
      if (judgeCorruption)
        this.#deps.report(read.error, request.url);
      return undefined;
    }
    return read.kind === 'found' ? read.response : undefined;
  }
}

function offlineMiss(request: CacheRequest, dir: string): BundleCacheError {
  return new BundleCacheError('ERR_OFFLINE_MISS',
      `Offline mode: ${request.url} is not in the cache at ${dir}. Fix: warm the cache first (run once with mode 'default', or \`npx bundle-cache warm ${request.url}\`), or use mode 'default'.`,
      { url: request.url, dir });
}
