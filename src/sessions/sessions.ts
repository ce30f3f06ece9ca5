import type { BrowserContext } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { log } from '../log.js';
import { resolveSessionCall, type ResolvedSessionOptions } from '../options/sessionOptions.js';
import type { SessionEvent, SessionOptions, SessionStats } from '../types.js';
import { ContextWatcher } from './contextWatch.js';
import { Leases } from './leases.js';
import { Session, type SessionDeps } from './session.js';
import type { SessionSignals } from './sessionSignals.js';
import { SessionStore, type SessionStoreDeps } from './sessionStore.js';

/**
 * What a `BundleCache` hands its session tier: where the files are and what
 * reads them, how to tell it what happened, its clock, and how to attach
 * it to a context. Split up here, so each piece gets only what it uses.
 */
export interface SessionsDeps extends SessionStoreDeps, SessionSignals {
  readonly now: () => number;
  /** Installs the bundle cache on a context a session made. */
  attach(context: BrowserContext): Promise<void>;
  /** Background work `close()` waits for (a rejection being written). */
  track(work: Promise<unknown>): void;
  /** Throws `ERR_CLOSED` once the cache is closed. */
  checkOpen(): void;
}

/**
 * The session tier of one `BundleCache`: the sessions declared in its
 * options, the entries on disk (shared by every `Session` of the cache,
 * so two handles of one name never warm twice in a process), and the
 * counters behind `stats().sessions`.
 */
export class Sessions {
  readonly #declared: ReadonlyMap<string, ResolvedSessionOptions>;
  readonly #counters = new SessionCounters();
  readonly #checkOpen: () => void;
  readonly #sessionDeps: SessionDeps;

  constructor(deps: SessionsDeps, declared: ReadonlyMap<string, ResolvedSessionOptions>) {
    const counters = this.#counters;
    const signals: SessionSignals = {
      emit: (event: SessionEvent) => {
        counters.count(event);
        log.debug(`session ${event.name}: ${event.type} generation ${event.generation}${event.reason ? ` (${event.reason})` : ''}`);
        deps.emit(event);
      },
      report: error => deps.report(error),
      notify: error => deps.notify(error),
    };
    const store = new SessionStore({ root: deps.root, fs: deps.fs, locks: deps.locks, secret: deps.secret, report: signals.report });
    this.#checkOpen = deps.checkOpen;
    this.#sessionDeps = {
      leases: new Leases({ store, attach: deps.attach, now: deps.now, signals }),
      watcher: new ContextWatcher({ store, now: deps.now, signals, track: deps.track }),
      attach: deps.attach,
      checkOpen: deps.checkOpen,
    };
    this.#declared = declared;
  }

  /** `cache.session(name, options?)`: options given here win; without them, the session declared under `sessions[name]`. */
  session(name: string, options?: SessionOptions): Session {
    this.#checkOpen();
    const call = resolveSessionCall(name, options);
    const resolved = call.options ?? this.#declared.get(call.name);
    if (!resolved) {
      const declared = [...this.#declared.keys()];
      throw new BundleCacheError('ERR_OPTIONS',
          `No session ${JSON.stringify(call.name)} is declared${declared.length ? ` (declared: ${declared.join(', ')})` : ''}, and cache.session(${JSON.stringify(call.name)}) got no options. ` +
          `Fix: pass them, cache.session(${JSON.stringify(call.name)}, { warm }), or declare it in the cache's options: { sessions: { ${JSON.stringify(call.name)}: { warm, ttl } } }.`,
          { option: `sessions.${call.name}`, session: call.name, declared });
    }
    return new Session(call.name, resolved, this.#sessionDeps);
  }

  stats(): SessionStats {
    return this.#counters.snapshot();
  }
}

/** The counters behind `stats().sessions`, fed by the events. */
class SessionCounters {
  #reused = 0;
  #warmed = 0;
  #rejected = 0;

  count(event: SessionEvent): void {
    if (event.type === 'reused')
      this.#reused++;
    else if (event.type === 'warmed')
      this.#warmed++;
    else if (event.type === 'rejected')
      this.#rejected++;
  }

  snapshot(): SessionStats {
    return { reused: this.#reused, warmed: this.#warmed, rejected: this.#rejected };
  }
}
