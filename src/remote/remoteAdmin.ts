import { DEFAULT_TIMEOUT_MS, type ResolvedRemote } from '../options/remoteOption.js';
import type { RemoteKind } from '../options/remoteUrl.js';
import { CircuitBreaker, DEFAULT_BREAKER, type BreakerState } from './circuitBreaker.js';
import { Cancelled, withDeadline } from './deadline.js';
import { openRemoteStore } from './openStore.js';
import type { ReadSettings } from './readEntry.js';
import type { RemoteStore } from './store.js';
import { asRemoteError } from './storeErrors.js';
import { verifyRemote, type RemoteVerifyResult } from './verify.js';

export interface RemoteStatus {
  readonly kind: RemoteKind;
  /** The URL without its password. */
  readonly location: string;
  readonly reachable: boolean;
  readonly readOnly: boolean;
  readonly signed: boolean;
  /** True when misses can take a fleet-wide lock (Redis, writable); on HTTP stores single flight stays per machine. */
  readonly fleetLock: boolean;
  /** The circuit a tier opened now would have after this probe. */
  readonly circuit: BreakerState;
  /** Why the remote is unreachable, if it is. */
  readonly error: string | undefined;
}

/**
 * The operator's view of a remote, for `bundle-cache status` and `remote
 * verify`: asks it now and checks what it holds, and never writes. The tier
 * that serves requests is `RemoteTier`.
 */
export class RemoteAdmin implements AsyncDisposable {
  readonly #store: RemoteStore;
  readonly #read: ReadSettings;
  readonly #closing = new AbortController();

  /** Opens the backend for `remote`. Never fails and never waits: nothing connects until first use. */
  static open(remote: ResolvedRemote): RemoteAdmin {
    return new RemoteAdmin(openRemoteStore(remote), { secret: remote.secret, timeoutMs: remote.timeoutMs });
  }

  constructor(store: RemoteStore, settings: { readonly secret?: string; readonly timeoutMs?: number }) {
    this.#store = store;
    this.#read = { store, secret: settings.secret, timeoutMs: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  }

  /** Asks the remote now (one PING, or its HTTP equivalent, under the deadline). Never throws. */
  async status(): Promise<RemoteStatus> {
    let error: string | undefined;
    try {
      await withDeadline(this.#read.timeoutMs, this.#closing.signal, signal => this.#store.ping(signal));
    } catch (failure) {
      error = asRemoteError(this.#store.location, 'answer', failure).message;
    }
    const store = this.#store;
    return {
      kind: store.kind, location: store.location, reachable: error === undefined, readOnly: store.readOnly, signed: this.#read.secret !== undefined,
      fleetLock: store.fleetLocks !== undefined && !store.readOnly, circuit: circuitAfter(error === undefined), error,
    };
  }

  /** Checks records and bodies on the remote (see `RemoteVerifyResult`); changes nothing there. */
  verify(keys?: readonly string[]): Promise<RemoteVerifyResult> {
    return verifyRemote(this.#read, keys, this.#closing.signal);
  }

  /** Cancels what is still asking and closes the connection. */
  async close(): Promise<void> {
    this.#closing.abort(new Cancelled('the remote admin closed'));
    await this.#store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A probe is one success or one failure to the breaker, as it would be in a tier: what `status --json` shows as `circuit`. */
function circuitAfter(answered: boolean): BreakerState {
  const breaker = new CircuitBreaker(DEFAULT_BREAKER, Date.now);
  if (answered)
    breaker.success();
  else
    breaker.failure();
  return breaker.state;
}
