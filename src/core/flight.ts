import type { CacheRequest } from './request.js';
import type { TierName } from './tier.js';

/**
 * Single flight for one scope: of all who need the same key past a tier at
 * once, one leads (asks the slower tiers and the origin) and the others
 * wait for it. Three scopes, one idea:
 * - in process: requests of one `BundleCache` share the leader's outcome;
 * - across processes on one cache dir: the key's lock file;
 * - across machines on one remote: a lock there (Redis).
 * Each guards the way past one tier: after a claim, the resolver looks in
 * that tier again, where a leader that went first left what it got.
 */
export interface Flight<Shared = never> {
  /** The tier whose slower side this flight guards. */
  readonly guards: TierName;
  claim(request: CacheRequest): Promise<Claim<Shared>>;
}

export type Claim<Shared> =
  /**
   * This caller goes on. `release()` once what it got is in the guarded
   * tier, or it gave up; `outcome` is handed to those who joined, where the
   * scope shares outcomes.
   */
  | { readonly kind: 'lead'; release(outcome?: Shared): Promise<void> }
  /**
   * Another caller led and finished: its outcome where the scope shares it,
   * else undefined (look again). `leader`, when known: the machine that led
   * and when it took the lead (its clock), so that what it checked while
   * this caller waited can be told from an older copy.
   */
  | { readonly kind: 'joined'; readonly outcome: Shared | undefined; readonly leader?: Leader }
  /** No single flight in this scope now (a lock timed out, the remote is down): go on alone. */
  | { readonly kind: 'alone'; readonly reason: string };

/** Who led a flight: a machine (see `hostId`) and when it took the lead, by its own clock. */
export interface Leader {
  readonly host: string;
  readonly since: number;
}
