import { BundleCacheError } from '../errors.js';

import type { RemoteKind } from '../options/remoteUrl.js';

/**
 * Where a body lives: content-addressed by its sha256. `chunks` lists the
 * byte length of each piece when the backend splits bodies (Redis); the
 * entry record carries it, so a reader never guesses the writer's chunk size.
 */
export interface BodyRef {
  readonly sha256: string;
  readonly size: number;
  readonly chunks?: readonly number[];
}

/**
 * One remote backend (sccache's storage trait): entry records addressed by
 * the sha256 of their key, bodies by their own sha256. A store moves bytes
 * and maps protocol failures to `BundleCacheError` codes; it never judges
 * what the bytes mean (the tier does). Every method rejects with
 * `ERR_REMOTE_UNAVAILABLE` once `signal` aborts, and every write rejects with
 * `ERR_REMOTE_WRITE_REFUSED` on a read-only store without touching the remote.
 */
export interface RemoteStore {
  readonly kind: RemoteKind;
  /** The URL without its password, for messages and `status()`. */
  readonly location: string;
  readonly readOnly: boolean;
  /** Fleet-wide locks, when the backend has them (Redis); HTTP stores have none. */
  readonly fleetLocks: FleetLocks | undefined;
  /** How this backend splits a body of `size` bytes (`undefined`: one piece). */
  bodyLayout(size: number): readonly number[] | undefined;
  /** The record's bytes, or `undefined` when there is none. */
  getRecord(id: string, signal: AbortSignal): Promise<Buffer | undefined>;
  /** Writes a record that expires after `ttlMs` where the backend can expire keys. */
  putRecord(id: string, record: Buffer, ttlMs: number, signal: AbortSignal): Promise<void>;
  deleteRecord(id: string, signal: AbortSignal): Promise<void>;
  /** True when the whole body is there (every chunk, the right size), keeping it at least `ttlMs` more where keys expire. Part of an upload: refused on a read-only store. */
  hasBody(body: BodyRef, ttlMs: number, signal: AbortSignal): Promise<boolean>;
  /** The body's bytes, or `undefined` when any part of it is gone (evicted, never written). Not checked here. */
  getBody(body: BodyRef, signal: AbortSignal): Promise<Buffer | undefined>;
  putBody(body: BodyRef, data: Buffer, ttlMs: number, signal: AbortSignal): Promise<void>;
  /** Deletes a body (whose bytes were found not to match their sha256). */
  deleteBody(body: BodyRef, signal: AbortSignal): Promise<void>;
  /** Every record id, where the backend can list (Redis `SCAN`); `undefined` where it cannot (plain WebDAV). */
  listRecordIds: ((signal: AbortSignal) => AsyncIterable<string>) | undefined;
  /** Resolves when the remote answers. */
  ping(signal: AbortSignal): Promise<void>;
  /**
   * Opens the connection ahead of the first operation. A failure leaves the
   * store as if it had never tried (no reconnecting behind the first
   * operation's back): that one connects again and meets the problem itself.
   */
  connect(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** `SET NX PX` locks with compare-and-renew and compare-and-delete (Redis). */
export interface FleetLocks {
  /** True when this call took the lock for `token`. */
  acquire(id: string, token: string, ttlMs: number, signal: AbortSignal): Promise<boolean>;
  /** True when the lock was still `token`'s and now lives `ttlMs` more. */
  renew(id: string, token: string, ttlMs: number, signal: AbortSignal): Promise<boolean>;
  /** Deletes the lock only if it is still `token`'s; true when it did. */
  release(id: string, token: string, signal: AbortSignal): Promise<boolean>;
  /** True when anyone holds the lock (a read: allowed on read-only stores). */
  isHeld(id: string, signal: AbortSignal): Promise<boolean>;
  /** The token of whoever holds the lock, or undefined when nobody does (a read). */
  holder(id: string, signal: AbortSignal): Promise<string | undefined>;
}

/** The guard every backend runs first in each write. */
export function refuseIfReadOnly(store: Pick<RemoteStore, 'readOnly' | 'location'>, operation: string): void {
  if (store.readOnly) {
    throw new BundleCacheError('ERR_REMOTE_WRITE_REFUSED',
        `Refused to ${operation} on the read-only remote ${store.location}. Fix: nothing to fix if this machine should only read; otherwise drop readOnly / BUNDLE_CACHE_REMOTE_READONLY.`,
        { remote: store.location, operation, readOnly: true });
  }
}
