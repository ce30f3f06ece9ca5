import type { HeldLock } from '../disk/locks.js';
import type { CachedResponse } from '../disk/meta.js';
import type { CacheRequest } from '../engine/parts.js';
import type { Tier } from '../engine/tier.js';
import { log } from '../log.js';
import type { FleetLock } from './fleetLock.js';
import type { RemoteTier } from './remoteTier.js';

/** How long a machine waits for another one that holds the fleet lock of a key, before fetching itself. */
export const FLEET_WAIT_MS = 30_000;

/**
 * The remote tier as the resolver walks it: a lookup returns only checked
 * bytes (freshness is judged by the resolver, as for disk), and keeping a
 * response means uploading it in the background. Fleet single flight (Redis)
 * is offered to the resolver before it goes to the origin.
 */
export class RemoteLevel implements Tier {
  readonly name = 'remote';
  readonly remote: RemoteTier;

  constructor(remote: RemoteTier) {
    this.remote = remote;
  }

  lookup(request: CacheRequest): Promise<CachedResponse | undefined> {
    return this.remote.lookup(request.key);
  }

  /** Uploads in the background; never waits for it (`close()` does, bounded). */
  async fill(response: CachedResponse, _lock?: HeldLock, fleetLock?: FleetLock): Promise<boolean> {
    void this.remote.publish(response.meta, response.body, fleetLock ? { lock: fleetLock } : {}).then(outcome => {
      if (outcome.kind !== 'uploaded')
        log.debug(`upload ${response.meta.url}: ${outcome.kind} (${outcome.reason})`);
      else
        log.debug(`upload ${response.meta.url}: ${outcome.bodySent ? 'body and record' : 'record (body already there)'}`);
    });
    return true;
  }

  /**
   * Before a miss goes to the origin: one machine of the fleet fetches (it
   * gets the lock, to pass to `fill`), the others wait for its record.
   */
  async singleFlight(request: CacheRequest): Promise<{ kind: 'fetch'; lock: FleetLock | undefined } | { kind: 'found'; response: CachedResponse }> {
    const outcome = await this.remote.lock(request.key);
    if (outcome.kind === 'acquired') {
      // Another machine may have published it and let go between our lookup and our lock.
      const published = await this.remote.recheck(request.key);
      if (!published)
        return { kind: 'fetch', lock: outcome.lock };
      await outcome.lock.release();
      return { kind: 'found', response: published };
    }
    if (outcome.kind === 'none')
      return { kind: 'fetch', lock: undefined };
    log.debug(`fleet: another machine is fetching ${request.url}; waiting for its record`);
    const found = await this.remote.waitForRecord(request.key, FLEET_WAIT_MS);
    return found ? { kind: 'found', response: found } : { kind: 'fetch', lock: undefined };
  }
}
