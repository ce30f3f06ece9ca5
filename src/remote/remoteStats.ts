/** The remote tier's counters, for `stats()` (all since the tier was opened). */
export interface RemoteStats {
  /** Lookups answered with an entry whose record and body passed every check. */
  remoteHits: number;
  /** Lookups with nothing usable: no record, a body evicted or gone, untrusted or corrupt, remote unavailable or circuit open. */
  remoteMisses: number;
  /** Problems reported through `report()` (unavailable, refused, corrupt, untrusted). */
  remoteErrors: number;
  /** Body bytes of remote hits. */
  bytesFromRemote: number;
  /** Entries published: their record was written. */
  uploads: number;
  /** Body bytes sent to the remote. */
  bytesToRemote: number;
  /** Uploads whose body was already on the remote, so it was not sent again. */
  bodiesAlreadyThere: number;
  /** Uploads given up: failed, refused, queue full, or cut by the `flush()` bound. */
  uploadsDropped: number;
  /** Operations not sent because the circuit breaker was open. */
  remoteSkipped: number;
  /** Times the circuit breaker opened. */
  breakerOpened: number;
  /** `waitForRecord` calls, and how many of them ended with an entry another machine published. */
  fleetWaits: number;
  fleetWaitHits: number;
}

export function emptyRemoteStats(): RemoteStats {
  return {
    remoteHits: 0, remoteMisses: 0, remoteErrors: 0, bytesFromRemote: 0, uploads: 0, bytesToRemote: 0,
    bodiesAlreadyThere: 0, uploadsDropped: 0, remoteSkipped: 0, breakerOpened: 0, fleetWaits: 0, fleetWaitHits: 0,
  };
}
