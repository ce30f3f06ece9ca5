import type { Browser, BrowserContextOptions } from 'playwright';
import { BundleCacheError } from '../errors.js';
import { log } from '../log.js';
import { breakerOpenUntil, recentFailures, withFailure } from './breaker.js';
import type { SessionEntryStore, EntryRead } from './entryStore.js';
import { expiredBy, expiryOf } from './expiry.js';
import type { SessionPaths } from './fingerprint.js';
import { newStateId, nextGeneration, type StateRef } from './generation.js';
import type { SessionHost } from './host.js';
import type { Dropped, SessionRecord } from './record.js';
import type { ResolvedSessionOptions } from './sessionOptions.js';
import { scopeOf, type SessionScope, type SessionState } from './storageState.js';
import { runWarmUp } from './warmUp.js';

/** A stored state handed to a context: which one (for rejections), and where it belongs. */
export interface Lease {
  readonly name: string;
  readonly paths: SessionPaths;
  readonly ref: StateRef;
  readonly state: SessionState;
  readonly scope: SessionScope;
}

/** One session's collaborators, for one lease. */
export interface LeaseRequest {
  readonly host: SessionHost;
  readonly store: SessionEntryStore;
  readonly name: string;
  readonly options: ResolvedSessionOptions;
  readonly paths: SessionPaths;
  /** Needed only to warm; without one, a missing state is an error. */
  readonly browser: Browser | undefined;
  readonly contextOptions: BrowserContextOptions;
}

/**
 * A usable state, warming it first if there is none: a lock-free read;
 * then, under the entry's lock, a second read (another process may have
 * warmed meanwhile: the waiters reuse what it stored), and only then a
 * warm-up, which stores the next generation.
 */
export async function acquireLease(request: LeaseRequest): Promise<Lease> {
  const { host, store, name, paths } = request;
  const reused = usable(await store.read(paths, name), request);
  if (reused)
    return reuse(request, reused);
  return store.withLock(paths, async lock => {
    const read = await store.read(paths, name);
    const again = usable(read, request);
    if (again)
      return reuse(request, again);
    if (read.problem)
      host.report(read.problem);
    const why = warmReason(read, request);
    const previous = read.record;
    if (why.kind === 'expired' && previous?.stored)
      host.emit({ type: 'expired', name, generation: previous.generation, reason: why.reason });
    checkBreaker(request, previous);
    if (!request.browser) {
      throw new BundleCacheError('ERR_OPTIONS',
          `Session ${JSON.stringify(name)} has no usable stored state (${why.reason}) and no browser to warm one with. Fix: pass the browser, e.g. session.storageState(browser).`,
          { option: 'browser', session: name });
    }
    let warmed;
    try {
      warmed = await runWarmUp(name, request.options.warm, request.browser, request.contextOptions, context => host.attach(context));
    } catch (error) {
      const failed: SessionRecord = { ...baseOf(request, previous), failures: withFailure(previous?.failures ?? [], host.now(), request.options.breaker), dropped: droppedBy(why, previous, host.now()), stored: null };
      await store.write(paths, failed, lock).catch(writeError => host.report(storeFailed(name, writeError)));
      throw error;
    }
    const storedAt = host.now();
    const expiry = expiryOf(warmed.payload.state, storedAt, request.options.ttlMs);
    const record: SessionRecord = {
      ...baseOf(request, previous),
      generation: nextGeneration(previous),
      failures: recentFailures(previous?.failures ?? [], storedAt, request.options.breaker),
      dropped: null,
      stored: { stateId: newStateId(), storedAt, expiresAt: expiry.at, expiryReason: expiry.reason, encrypted: !!host.secret, payload: warmed.payload },
    };
    // A state that could not be stored still works for this context: the cache degrades, the login is not lost.
    await store.write(paths, record, lock).catch(error => host.report(storeFailed(name, error)));
    host.emit({ type: 'warmed', name, generation: record.generation, reason: why.kind === 'none' ? 'nothing stored' : why.kind, durationMs: Math.round(warmed.durationMs) });
    return leaseOf(name, paths, record);
  });
}

type WarmReason = { kind: 'none' | Dropped['kind']; reason: string };

function usable(read: EntryRead, request: LeaseRequest): SessionRecord | undefined {
  const stored = read.record?.stored;
  if (read.problem || !stored?.payload)
    return undefined;
  return expiredBy(stored, request.host.now(), request.options.ttlMs) ? undefined : read.record;
}

function reuse(request: LeaseRequest, record: SessionRecord): Lease {
  request.host.emit({ type: 'reused', name: request.name, generation: record.generation });
  return leaseOf(request.name, request.paths, record);
}

function leaseOf(name: string, paths: SessionPaths, record: SessionRecord): Lease {
  const stored = record.stored!;
  return { name, paths, ref: { generation: record.generation, stateId: stored.stateId }, state: stored.payload!.state, scope: scopeOf(stored.payload!) };
}

function warmReason(read: EntryRead, request: LeaseRequest): WarmReason {
  if (read.problem)
    return { kind: 'unreadable', reason: 'the stored state could not be read' };
  const record = read.record;
  if (record?.stored)
    return { kind: 'expired', reason: expiredBy(record.stored, request.host.now(), request.options.ttlMs) ?? 'ttl' };
  if (record?.dropped)
    return { kind: record.dropped.kind, reason: `${record.dropped.kind}: ${record.dropped.reason}` };
  return { kind: 'none', reason: 'nothing stored yet' };
}

/** The record's identity and history, carried over from the previous file (if it was readable). */
function baseOf(request: LeaseRequest, previous: SessionRecord | undefined): SessionRecord {
  return { name: request.name, keyHash: request.paths.keyHash, generation: previous?.generation ?? 0, failures: previous?.failures ?? [], dropped: previous?.dropped ?? null, stored: null };
}

/** A failed warm-up leaves no state: the one it was to replace is gone too (it had expired, or could not be read). */
function droppedBy(why: WarmReason, previous: SessionRecord | undefined, now: number): Dropped | null {
  if (why.kind === 'expired' || why.kind === 'unreadable')
    return { at: now, kind: why.kind, reason: why.reason };
  return previous?.dropped ?? null;
}

function checkBreaker(request: LeaseRequest, previous: SessionRecord | undefined): void {
  const now = request.host.now();
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
      `Fix: check that warm() still logs in from here (its user agent, proxy and IP), then reset it now with \`npx bundle-cache sessions clear ${shellQuote(request.name)} --dir ${shellQuote(request.host.root)}\`.`,
      { session: request.name, failures, windowMs: breaker.windowMs, retryAt: new Date(openUntil).toISOString() });
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
