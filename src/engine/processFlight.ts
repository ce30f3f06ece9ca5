import type { Claim, Flight } from '../core/flight.js';
import type { CacheRequest } from '../core/request.js';

interface Pending<Shared> {
  readonly done: Promise<Shared | undefined>;
  readonly early: boolean;
}

/**
 * Single flight inside one `BundleCache`: concurrent requests for a key
 * share one leader's outcome, when `shareable` says it is theirs to share
 * (a response the leader may not share, or a page that went away, leaves
 * them their own turn).
 */
export class ProcessFlight<Shared> implements Flight<Shared> {
  readonly guards = 'memory';
  readonly #pending = new Map<string, Pending<Shared>>();
  readonly #shareable: (outcome: Shared, leader: { early: boolean }, request: CacheRequest) => boolean;

  constructor(shareable: (outcome: Shared, leader: { early: boolean }, request: CacheRequest) => boolean) {
    this.#shareable = shareable;
  }

  async claim(request: CacheRequest): Promise<Claim<Shared>> {
    for (let pending = this.#pending.get(request.key); pending; pending = this.#pending.get(request.key)) {
      const outcome = await pending.done;
      // A leader that failed unexpectedly left nothing: look again, alone.
      if (outcome === undefined)
        return { kind: 'joined', outcome: undefined };
      if (this.#shareable(outcome, pending, request))
        return { kind: 'joined', outcome };
    }
    let finish!: (outcome: Shared | undefined) => void;
    const pending: Pending<Shared> = { done: new Promise(resolve => finish = resolve), early: request.early === true };
    this.#pending.set(request.key, pending);
    return {
      kind: 'lead',
      release: async outcome => {
        if (this.#pending.get(request.key) === pending)
          this.#pending.delete(request.key);
        finish(outcome);
      },
    };
  }
}
