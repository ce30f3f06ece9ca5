import type { BrowserContext, Response } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { log } from '../log.js';
import type { ResolvedSessionOptions } from '../options/sessionOptions.js';
import { rejectionDrops } from './generation.js';
import type { Lease } from './leases.js';
import { describeResponse, isWatched, judge } from './rejection.js';
import type { SessionSignals } from './sessionSignals.js';
import type { SessionStore } from './sessionStore.js';
import { withFailure } from './warmBreaker.js';

/** What a context made by a session saw: the first rejection, if any. */
export interface ContextWatch {
  readonly lease: Lease;
  /** `status 452 from http://host/path` once the site rejected the session in this context. */
  readonly rejection: string | undefined;
  /** Whether that rejection dropped the stored state (false: a newer one was there, or it was dropped already). */
  readonly dropped: boolean | undefined;
  /** Resolves once every rejection seen so far is judged and written. */
  settled(): Promise<void>;
}

/** What the watcher of one cache uses. */
export interface WatchDeps {
  readonly store: SessionStore;
  readonly now: () => number;
  readonly signals: SessionSignals;
  /** Background work the cache's `close()` waits for (a rejection being written). */
  track(work: Promise<unknown>): void;
}

/** What a session's options say about rejections: which responses are one, and the breaker they count against. */
export type RejectionPolicy = Pick<ResolvedSessionOptions, 'rewarmOn' | 'breaker'>;

/** Watches the contexts made with sessions' states, for one cache. */
export class ContextWatcher {
  readonly #deps: WatchDeps;

  constructor(deps: WatchDeps) {
    this.#deps = deps;
  }

  watch(context: BrowserContext, lease: Lease, policy: RejectionPolicy): ContextWatch {
    return watchContext(context, lease, policy, this.#deps);
  }
}

/**
 * Listens to the responses of a context made with `lease`. A response of
 * the session's origins to a document, fetch or XHR request that matches
 * `rewarmOn` rejects the session: the stored state is dropped if it is
 * still the one this context was given. A 429 is reported, not acted on.
 */
function watchContext(context: BrowserContext, lease: Lease, policy: RejectionPolicy, deps: WatchDeps): ContextWatch {
  const pending = new Set<Promise<void>>();
  let rejection: string | undefined;
  let dropped: boolean | undefined;
  const onResponse = (response: Response) => {
    const url = response.url();
    if (!isWatched(response.request().resourceType(), url, lease.scope))
      return;
    const work = judgeResponse(response, url).finally(() => pending.delete(work));
    pending.add(work);
    deps.track(work);
  };
  const judgeResponse = async (response: Response, url: string) => {
    const status = response.status();
    let verdict;
    try {
      verdict = await judge(status, policy.rewarmOn, response);
    } catch (error) {
      deps.signals.notify(new BundleCacheError('ERR_OPTIONS',
          `rewarmOn of session ${JSON.stringify(lease.name)} threw on ${describeResponse(status, url)}: ${(error as Error).message}; the response was not taken as a rejection. Fix the predicate.`,
          { option: 'rewarmOn', session: lease.name }, { cause: error }));
      return;
    }
    if (verdict === 'throttled') {
      const retryAfter = response.headers()['retry-after'];
      deps.signals.notify(new BundleCacheError('ERR_SESSION_THROTTLED',
          `The site answered ${describeResponse(status, url)} to session ${JSON.stringify(lease.name)}: it asks to slow down${retryAfter ? ` (Retry-After: ${retryAfter})` : ''}. ` +
          'The session is kept (a 429 is not a rejection: logging in again would only add load). Fix: send fewer requests, or add 429 to rewarmOn if this site means "session burned" by it.',
          { session: lease.name, generation: lease.ref.generation, status, retryAfter: retryAfter ?? null }));
      return;
    }
    // One rejection per context: the rest of its responses speak of the same state.
    if (verdict !== 'rejected' || rejection !== undefined)
      return;
    const reason = describeResponse(status, url);
    rejection = reason;
    dropped = await dropRejected(lease, reason, policy, deps);
    deps.signals.emit({ type: 'rejected', name: lease.name, generation: lease.ref.generation, reason, dropped });
  };
  context.on('response', onResponse);
  context.once('close', () => context.off('response', onResponse));
  return {
    lease,
    get rejection() {
      return rejection;
    },
    get dropped() {
      return dropped;
    },
    settled: async () => {
      while (pending.size)
        await Promise.allSettled([...pending]);
    },
  };
}

/** Under the entry's lock: drops the stored state if it is still the generation the context was given, and counts a failure for the breaker. */
async function dropRejected(lease: Lease, reason: string, policy: RejectionPolicy, { store, now, signals }: WatchDeps): Promise<boolean> {
  try {
    return await store.withLock(lease.paths, async lock => {
      const { record } = await store.read(lease.paths, lease.name);
      if (!record || !rejectionDrops(record, lease.ref)) {
        log.debug(`session ${lease.name}: rejection of generation ${lease.ref.generation} changes nothing (stored: generation ${record?.generation ?? 'none'}${record?.stored ? '' : ', no state'})`);
        return false;
      }
      const at = now();
      await store.write(lease.paths, { ...record, failures: withFailure(record.failures, at, policy.breaker), dropped: { at, kind: 'rejected', reason }, stored: null }, lock);
      log.debug(`session ${lease.name}: generation ${lease.ref.generation} rejected (${reason}); dropped`);
      return true;
    });
  } catch (error) {
    signals.report(error instanceof BundleCacheError ? error : new BundleCacheError('ERR_STORE_FAILED',
        `Could not drop the rejected session ${JSON.stringify(lease.name)}: ${(error as Error).message}`, { session: lease.name }, { cause: error }));
    return false;
  }
}
