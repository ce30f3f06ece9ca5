import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { log } from '../log.js';
import type { ResolvedSessionOptions } from '../options/sessionOptions.js';
import { expiredBy, expiryOf } from './expiry.js';
import { fingerprintOf, type SessionPaths } from './fingerprint.js';
import { newStateId, nextGeneration, type StateRef } from './generation.js';
import type { Dropped, SessionRecord } from './sessionRecord.js';
import type { SessionSignals } from './sessionSignals.js';
import type { EntryRead, SessionStore } from './sessionStore.js';
import { scopeOf, type SessionScope, type SessionState } from './storageState.js';
import { breakerOpenUntil, recentFailures, withFailure } from './warmBreaker.js';
import { runWarmUp } from './warmUp.js';

/** A stored state handed to a context: which one (for rejections), and where it belongs. */
export interface Lease {
  readonly name: string;
  readonly paths: SessionPaths;
  readonly ref: StateRef;
  readonly state: SessionState;
  readonly scope: SessionScope;
}

/** What the leases of one cache use. */
export interface LeaseDeps {
  readonly store: SessionStore;
  /** Installs the bundle cache on the context a warm-up runs in. */
  attach(context: BrowserContext): Promise<void>;
  readonly now: () => number;
  readonly signals: Pick<SessionSignals, 'emit' | 'report'>;
}

/** One lease asked for: the session, and the contexts the state is for. */
export interface LeaseRequest {
  readonly name: string;
  readonly options: ResolvedSessionOptions;
  /** Needed only to warm; without one, a missing state is an error. */
  readonly browser: Browser | undefined;
  /** Select the entry (user agent, proxy…: see `Fingerprint`) and make the warm-up's context. */
  readonly contextOptions: BrowserContextOptions;
}

type WarmReason = { kind: 'none' | Dropped['kind']; reason: string };

/** The stored states of one cache's sessions, handed out as leases (warmed when none is usable), and revoked. */
export class Leases {
  readonly #deps: LeaseDeps;

  constructor(deps: LeaseDeps) {
    this.#deps = deps;
  }

  /**
   * A usable state, warming it first if there is none: a lock-free read;
   * then, under the entry's lock, a second read (another process may have
   * warmed meanwhile: the waiters reuse what it stored), and only then a
   * warm-up, which stores the next generation.
   */
  async acquire(request: LeaseRequest): Promise<Lease> {
    const { store, signals, now } = this.#deps;
    const { name } = request;
    const paths = store.pathsOf(name, fingerprintOf(request.contextOptions));
    const reused = this.#usable(await store.read(paths, name), request);
    if (reused)
      return this.#reuse(name, paths, reused);
    return store.withLock(paths, async lock => {
      const read = await store.read(paths, name);
      const again = this.#usable(read, request);
      if (again)
        return this.#reuse(name, paths, again);
      if (read.problem)
        signals.report(read.problem);
      const why = this.#warmReason(read, request);
      const previous = read.record;
      if (why.kind === 'expired' && previous?.stored)
        signals.emit({ type: 'expired', name, generation: previous.generation, reason: why.reason });
      this.#checkBreaker(request, previous);
      if (!request.browser) {
        throw new BundleCacheError('ERR_OPTIONS',
            `Session ${JSON.stringify(name)} has no usable stored state (${why.reason}) and no browser to warm one with. Fix: pass the browser, e.g. session.storageState(browser).`,
            { option: 'browser', session: name });
      }
      const base = baseOf(name, paths, previous);
      let warmed;
      try {
        warmed = await runWarmUp(name, request.options.warm, request.browser, request.contextOptions, context => this.#deps.attach(context));
      } catch (error) {
        const failed: SessionRecord = { ...base, failures: withFailure(previous?.failures ?? [], now(), request.options.breaker), dropped: droppedBy(why, previous, now()), stored: null };
        await store.write(paths, failed, lock).catch(writeError => signals.report(storeFailed(name, writeError)));
        throw error;
      }
      const storedAt = now();
      const expiry = expiryOf(warmed.payload.state, storedAt, request.options.ttlMs);
      const record: SessionRecord = {
        ...base,
        generation: nextGeneration(previous),
        failures: recentFailures(previous?.failures ?? [], storedAt, request.options.breaker),
        dropped: null,
        stored: { stateId: newStateId(), storedAt, expiresAt: expiry.at, expiryReason: expiry.reason, encrypted: store.encrypts, payload: warmed.payload },
      };
      // A state that could not be stored still works for this context: the cache degrades, the login is not lost.
      await store.write(paths, record, lock).catch(error => signals.report(storeFailed(name, error)));
      signals.emit({ type: 'warmed', name, generation: record.generation, reason: why.kind === 'none' ? 'nothing stored' : why.kind, durationMs: Math.round(warmed.durationMs) });
      return leaseOf(name, paths, record);
    });
  }

  /** Drops the stored state of every entry of `name` (each user agent, proxy… has its own), each under its lock; returns how many held one. */
  async revokeAll(name: string): Promise<number> {
    const { store, now } = this.#deps;
    let dropped = 0;
    for (const paths of await store.entriesOf(name)) {
      await store.withLock(paths, async lock => {
        const { record } = await store.read(paths, name);
        if (!record?.stored)
          return;
        await store.write(paths, { ...record, dropped: { at: now(), kind: 'invalidated', reason: 'invalidate() was called' }, stored: null }, lock);
        dropped++;
      });
    }
    return dropped;
  }

  #usable(read: EntryRead, request: LeaseRequest): SessionRecord | undefined {
    const stored = read.record?.stored;
    if (read.problem || !stored?.payload)
      return undefined;
    return expiredBy(stored, this.#deps.now(), request.options.ttlMs) ? undefined : read.record;
  }

  #reuse(name: string, paths: SessionPaths, record: SessionRecord): Lease {
    this.#deps.signals.emit({ type: 'reused', name, generation: record.generation });
    return leaseOf(name, paths, record);
  }

  #warmReason(read: EntryRead, request: LeaseRequest): WarmReason {
    if (read.problem)
      return { kind: 'unreadable', reason: 'the stored state could not be read' };
    const record = read.record;
    if (record?.stored)
      return { kind: 'expired', reason: expiredBy(record.stored, this.#deps.now(), request.options.ttlMs) ?? 'ttl' };
    if (record?.dropped)
      return { kind: record.dropped.kind, reason: `${record.dropped.kind}: ${record.dropped.reason}` };
    return { kind: 'none', reason: 'nothing stored yet' };
  }

  #checkBreaker(request: LeaseRequest, previous: SessionRecord | undefined): void {
    const now = this.#deps.now();
    const { breaker } = request.options;
    const openUntil = breakerOpenUntil(previous?.failures ?? [], now, breaker);
    if (openUntil === undefined)
      return;
    const failures = recentFailures(previous?.failures ?? [], now, breaker).length;
    const inMinutes = Math.max(1, Math.ceil((openUntil - now) / 60_000));
    log.debug(`session ${request.name}: breaker open until ${new Date(openUntil).toISOString()}`);
    throw new BundleCacheError('ERR_SESSION_BREAKER',
        `Session ${JSON.stringify(request.name)} is not warmed again: it failed ${failures} times within ${Math.round(breaker.windowMs / 60_000)} min ` +
        '(warm-ups that failed, or states the site rejected), so the circuit breaker stopped re-warming: a banned IP or a broken login must not loop on the login page. ' +
        `It allows the next warm-up at ${new Date(openUntil).toISOString()} (in about ${inMinutes} min). ` +
        `Fix: check that warm() still logs in from here (its user agent, proxy and IP), then reset it now with \`npx bundle-cache sessions clear ${shellQuote(request.name)} --dir ${shellQuote(this.#deps.store.root)}\`.`,
        { session: request.name, failures, windowMs: breaker.windowMs, retryAt: new Date(openUntil).toISOString() });
  }
}

function leaseOf(name: string, paths: SessionPaths, record: SessionRecord): Lease {
  const stored = record.stored!;
  return { name, paths, ref: { generation: record.generation, stateId: stored.stateId }, state: stored.payload!.state, scope: scopeOf(stored.payload!) };
}

/** The record's identity and history, carried over from the previous file (if it was readable). */
function baseOf(name: string, paths: SessionPaths, previous: SessionRecord | undefined): SessionRecord {
  return { name, keyHash: paths.keyHash, generation: previous?.generation ?? 0, failures: previous?.failures ?? [], dropped: previous?.dropped ?? null, stored: null };
}

/** A failed warm-up leaves no state: the one it was to replace is gone too (it had expired, or could not be read). */
function droppedBy(why: WarmReason, previous: SessionRecord | undefined, now: number): Dropped | null {
  if (why.kind === 'expired' || why.kind === 'unreadable')
    return { at: now, kind: why.kind, reason: why.reason };
  return previous?.dropped ?? null;
}

function storeFailed(name: string, error: unknown): BundleCacheError {
  if (error instanceof BundleCacheError)
    return error;
  return new BundleCacheError('ERR_STORE_FAILED', `Could not store session ${JSON.stringify(name)}: ${(error as Error).message}`, { session: name }, { cause: error });
}

/** Quotes for a POSIX shell when needed. */
function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll('\'', '\'\\\'\'')}'`;
}
