import { BundleCacheError } from '../errors.js';
import { log } from '../log.js';
import type { SessionEvent, SessionOptions, SessionStats } from '../types.js';
import { SessionEntryStore } from './entryStore.js';
import { SessionCounters, type SessionHost } from './host.js';
import { Session } from './session.js';
import { resolveSessionCall, type ResolvedSessionOptions } from './sessionOptions.js';

/**
 * The session tier of one `BundleCache`: the sessions declared in its
 * options, the entries on disk (shared by every `Session` of the cache,
 * so two handles of one name never warm twice in a process), and the
 * counters behind `stats().sessions`.
 */
export class Sessions {
  readonly #host: SessionHost;
  readonly #store: SessionEntryStore;
  readonly #declared: ReadonlyMap<string, ResolvedSessionOptions>;
  readonly #counters = new SessionCounters();

  constructor(host: SessionHost, declared: ReadonlyMap<string, ResolvedSessionOptions>, lockTimeoutMs?: number) {
    const counters = this.#counters;
    this.#host = {
      ...host,
      emit: (event: SessionEvent) => {
        counters.count(event);
        log.debug(`session ${event.name}: ${event.type} generation ${event.generation}${event.reason ? ` (${event.reason})` : ''}`);
        host.emit(event);
      },
    };
    this.#store = new SessionEntryStore(this.#host, lockTimeoutMs);
    this.#declared = declared;
  }

  /** `cache.session(name, options?)`: options given here win; without them, the session declared under `sessions[name]`. */
  session(name: string, options?: SessionOptions): Session {
    this.#host.checkOpen();
    const call = resolveSessionCall(name, options);
    const resolved = call.options ?? this.#declared.get(call.name);
    if (!resolved) {
      const declared = [...this.#declared.keys()];
      throw new BundleCacheError('ERR_OPTIONS',
          `No session ${JSON.stringify(call.name)} is declared${declared.length ? ` (declared: ${declared.join(', ')})` : ''}, and cache.session(${JSON.stringify(call.name)}) got no options. ` +
          `Fix: pass them, cache.session(${JSON.stringify(call.name)}, { warm }), or declare it in the cache's options: { sessions: { ${JSON.stringify(call.name)}: { warm, ttl } } }.`,
          { option: `sessions.${call.name}`, session: call.name, declared });
    }
    return new Session(call.name, { host: this.#host, store: this.#store, options: resolved });
  }

  /** The names declared in the `sessions` option. */
  declaredNames(): string[] {
    return [...this.#declared.keys()];
  }

  stats(): SessionStats {
    return this.#counters.snapshot();
  }
}
