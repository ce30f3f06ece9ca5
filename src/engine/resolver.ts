import { BundleCacheError } from '../errors.js';
import type { Claim, Flight, Leader } from '../core/flight.js';
import type { CachedResponse } from '../core/meta.js';
import type { Origin, OriginResponse } from '../core/origin.js';
import type { CacheRequest } from '../core/request.js';
import type { Resolution } from '../core/resolution.js';
import type { Tier } from '../core/tier.js';
import type { Decision } from '../freshness/decide.js';
import { withoutValidators } from '../freshness/entryFreshness.js';
import type { FreshnessJudge } from '../freshness/judge.js';
import { STORABLE_ENCODING } from '../http/bodyEnd.js';
import { isClosedError } from '../http/closed.js';
import { redirectTarget, redirectedRequest } from '../http/redirects.js';
import { log } from '../log.js';
import { checkWithOrigin } from './check.js';
import type { KeyOutcome, OriginPolicy, ResolverEvents } from './outcome.js';
import { entryFromOrigin, passed } from './entryFromOrigin.js';

/** A tier and the single flight that guards the way past it. */
export interface Level {
  readonly tier: Tier;
  /** None where nothing can coordinate (an HTTP remote has no locks): everyone goes on alone. */
  readonly flight: Flight<KeyOutcome> | undefined;
  /**
   * Claim the flight only once the slower tiers were looked at: a copy there
   * that may be served is served without it, and this tier's fill claims it
   * beside the answer. For a flight that costs more than a look behind it
   * (the disk's key lock, on a new machine: a directory and a lock file per
   * key) in front of a tier that many may read at once (the remote).
   */
  readonly claimLate?: boolean;
}

/** A stored copy due for a check: the newest the walk found, and the level it came from. */
interface Candidate {
  readonly response: CachedResponse;
  readonly level: number;
  readonly decision: Exclude<Decision, 'serve'>;
}

/** Per resolution of one key: the claims held and the tiers' writes they wait for. */
interface Walk {
  readonly request: CacheRequest;
  readonly fetch: (extraHeaders: Record<string, string>) => Promise<OriginResponse>;
  readonly held: Array<{ readonly level: number; readonly claim: Extract<Claim<KeyOutcome>, { kind: 'lead' }> }>;
  /** Levels whose flight this walk claimed, whatever the answer. */
  readonly claimed: Set<number>;
  readonly writes: Array<Promise<unknown> | undefined>;
  candidate: Candidate | undefined;
}

/** A look that found nothing to serve; `found`, a copy due for a check or a refetch. */
type Missed = { readonly serve?: undefined; readonly found?: CachedResponse };
type Looked = { readonly serve: CachedResponse } | Missed;

/**
 * `resolve()`: the one way every request reaches a cached response. Walks
 * the levels fastest first (memory, disk, remote), judging each copy's
 * freshness; before going past a tier it claims that tier's single flight
 * and looks again, so one request per process, one process per cache dir
 * and one machine per remote goes further. Past the last tier the origin
 * is asked: a check (a conditional request) for a copy due for one, else
 * a fetch. What the origin gives is stored in every tier; a hit fills the
 * faster tiers. Redirects are followed here, each target keyed by its own
 * URL. Problems inside the cache never fail a request: they end in a
 * fallback to the client's own fetch.
 */
export class Resolver {
  readonly #levels: readonly Level[];
  readonly #judge: FreshnessJudge;
  readonly #policy: OriginPolicy;
  readonly #events: ResolverEvents;

  constructor(parts: { levels: readonly Level[]; judge: FreshnessJudge; policy: OriginPolicy; events: ResolverEvents }) {
    this.#levels = parts.levels;
    this.#judge = parts.judge;
    this.#policy = parts.policy;
    this.#events = parts.events;
  }

  async resolve(request: CacheRequest, origin: Origin): Promise<Resolution> {
    let current = request;
    for (let hops = 0; ; hops++) {
      const entryRequest = current;
      const url = hops === 0 ? undefined : current.url;
      const fetch = (extraHeaders: Record<string, string>) => origin({ url, headers: { ...entryRequest.requestHeaders, ...STORABLE_ENCODING, ...extraHeaders } });
      const { outcome, shared } = await this.#resolveKey(current, fetch);
      if (outcome.kind === 'passed') {
        const target = redirectTarget(outcome, current.url, hops);
        if (target) {
          log.debug(`redirect ${current.url} -> ${target} (${outcome.status}), followed by the cache`);
          current = redirectedRequest(current, target);
          continue;
        }
      }
      const result = resolution(current, outcome, shared);
      if (result.kind === 'served' && result.request.rule.revalidate !== 'never' && withoutValidators(result.response.meta))
        this.#events.unvalidated(result.request, result.response);
      return result;
    }
  }

  async #resolveKey(request: CacheRequest, fetch: Walk['fetch']): Promise<{ outcome: KeyOutcome; shared: boolean }> {
    const walk: Walk = { request, fetch, held: [], claimed: new Set(), writes: [], candidate: undefined };
    let outcome: KeyOutcome | undefined;
    try {
      const walked = await this.#walk(walk);
      outcome = walked.outcome;
      return walked;
    } catch (error) {
      if (!isClosedError(error))
        throw error;
      outcome = { kind: 'closed' };
      return { outcome, shared: false };
    } finally {
      // Each claim lasts until its tier has what this walk got: waiters look there next.
      for (const { level, claim } of walk.held.reverse()) {
        const release = () => claim.release(outcome);
        const write = walk.writes[level];
        if (write)
          this.#events.track(write.then(release, release));
        else
          await release();
      }
    }
  }

  async #walk(walk: Walk): Promise<{ outcome: KeyOutcome; shared: boolean }> {
    const levels = this.#levels;
    const offline = this.#policy.offlineDir !== undefined;
    // A level whose claim waits until the tiers behind it were looked at (see `Level.claimLate`).
    let late: { level: number; first: Missed } | undefined;
    for (let level = 0; level < levels.length; level++) {
      const first = await this.#look(walk, level, undefined);
      if (first.serve)
        return { outcome: await this.#hit(walk, first.serve, level, false), shared: false };
      // Offline, nobody goes further than the local tiers: no lock to take for the origin.
      if (offline && level === levels.length - 1)
        break;
      if (!levels[level]!.flight)
        continue;
      if (levels[level]!.claimLate && level < levels.length - 1 && !late) {
        late = { level, first };
        continue;
      }
      // Claims are taken fastest tier first, whatever the order of the looks.
      const settled = await this.#claimLate(walk, late) ?? await this.#claimAndLookAgain(walk, level, first);
      late = undefined;
      if (settled)
        return settled;
    }
    const settled = await this.#claimLate(walk, late);
    if (settled)
      return settled;
    if (offline)
      return { outcome: { kind: 'offline', error: offlineMiss(walk.request, this.#policy.offlineDir!) }, shared: false };
    const candidate = walk.candidate;
    const outcome = candidate?.decision === 'revalidate'
      ? await checkWithOrigin(walk.request, candidate.response, walk.fetch, {
        judge: this.#judge, policy: this.#policy, events: this.#events,
        confirmed: async response => this.#hit(walk, await this.#keepRefreshed(walk, response), candidate.level, true),
        fetchWhole: () => this.#fetch(walk),
        store: answer => this.#store(walk, answer),
        servedStale: () => this.#hit(walk, candidate.response, candidate.level, false),
      })
      : await this.#fetch(walk);
    return { outcome, shared: false };
  }

  async #claimLate(walk: Walk, late: { level: number; first: Missed } | undefined): Promise<{ outcome: KeyOutcome; shared: boolean } | undefined> {
    return late && this.#claimAndLookAgain(walk, late.level, late.first);
  }

  /** Claims `level`'s flight and looks in its tier again: what a leader that went first left there, or a shared outcome. */
  async #claimAndLookAgain(walk: Walk, level: number, first: Missed): Promise<{ outcome: KeyOutcome; shared: boolean } | undefined> {
    const { tier, flight } = this.#levels[level]!;
    walk.claimed.add(level);
    const claim = await flight!.claim(walk.request);
    if (claim.kind === 'joined' && claim.outcome)
      return { outcome: claim.outcome, shared: true };
    if (claim.kind === 'lead')
      walk.held.push({ level, claim });
    else if (claim.kind === 'alone')
      log.debug(`${tier.name} single flight for ${walk.request.url}: none (${claim.reason})`);
    // Another leader did the work while this request waited: a copy it changed was checked during this request.
    const waitedFor = claim.kind === 'joined' && claim.leader ? { before: first.found, leader: claim.leader } : undefined;
    const again = await this.#look(walk, level, waitedFor);
    return again.serve ? { outcome: await this.#hit(walk, again.serve, level, false), shared: false } : undefined;
  }

  /**
   * Asks one level's tier; a copy due for a check becomes the candidate when
   * it is the newest seen. `waitedFor`: this request waited for another
   * leader of this level's flight, and `before` is what the tier held then.
   */
  async #look(walk: Walk, level: number, waitedFor: { before: CachedResponse | undefined; leader: Leader } | undefined): Promise<Looked> {
    const { tier } = this.#levels[level]!;
    const found = await tier.get(walk.request, walk.candidate?.response);
    if (!found)
      return {};
    const duringRequest = waitedFor !== undefined && checkedByLeader(found, waitedFor.before, waitedFor.leader);
    const decision = this.#judge.decide(found.meta, walk.request, duringRequest);
    if (decision === 'serve')
      return { serve: found };
    log.debug(`${decision === 'refetch' ? 'expired' : 'check'} ${walk.request.url} in the ${tier.name} tier (${found.meta.freshness?.kind ?? 'written by an earlier release'}, stored ${found.meta.storedAt}) -> ${decision}`);
    const seen = walk.candidate;
    if (!seen || validatedAt(found) >= validatedAt(seen.response))
      walk.candidate = { response: found, level, decision };
    return { found };
  }

  /** Serves a copy found at `level`, filling the faster tiers with it. */
  async #hit(walk: Walk, response: CachedResponse, level: number, revalidated: boolean): Promise<KeyOutcome> {
    const { tier } = this.#levels[level]!;
    // A copy the origin just confirmed was written again (its meta.json): that write is its use.
    if (!revalidated)
      tier.served?.(response);
    await this.#keep(walk, response, level, 'fill');
    return { kind: 'hit', response, source: tier.name, revalidated };
  }

  async #fetch(walk: Walk): Promise<KeyOutcome> {
    const { request } = walk;
    let answer: OriginResponse;
    try {
      answer = await walk.fetch({});
    } catch (error) {
      if (isClosedError(error))
        return { kind: 'closed' };
      const reason = (error as Error).message.split('\n')[0];
      this.#events.report(new BundleCacheError('ERR_FETCH_FAILED', `Fetching ${request.url} failed (${reason}); the browser fetches it itself.`, { url: request.url }, { cause: error }), request.url);
      return { kind: 'fallback', reason };
    }
    return this.#store(walk, answer);
  }

  /** Stores what the origin sent when it may be stored, in every tier; else passes it on. */
  async #store(walk: Walk, answer: OriginResponse): Promise<KeyOutcome> {
    const { request } = walk;
    const entry = entryFromOrigin(request, answer, this.#policy.now(), this.#policy);
    if ('kind' in entry)
      return entry;
    if (!await this.#keep(walk, entry, this.#levels.length, 'store'))
      return passed(request, answer, 'not kept by the disk tier');
    const { freshness } = entry.meta;
    log.debug(`store ${request.url} ${entry.body.length} bytes (rule ${request.rule.name}, version ${entry.meta.version ?? 'none'}, ${freshness!.kind}${freshness!.kind === 'revalidated' ? `, fresh until ${freshness!.freshUntil}` : ''})`);
    this.#judge.markChecked(request.key);
    return { kind: 'stored', response: entry };
  }

  /** After a 304: the refreshed copy goes to every tier (meta.json only where the body is there already). */
  async #keepRefreshed(walk: Walk, response: CachedResponse): Promise<CachedResponse> {
    if (!await this.#keep(walk, response, this.#levels.length, 'store'))
      log.debug(`revalidate ${walk.request.url}: the refreshed meta was not kept on disk`);
    return response;
  }

  /** Fills a tier whose flight the walk did not claim: claimed here, released once written. */
  async #fillUnclaimed(request: CacheRequest, level: number, response: CachedResponse): Promise<boolean> {
    const { tier, flight } = this.#levels[level]!;
    const claim = await flight!.claim(request);
    // Joined: another leader wrote it. Alone: no lock, and a store tier writes only under its lock.
    if (claim.kind !== 'lead')
      return false;
    try {
      return await tier.put(response);
    } finally {
      await claim.release();
    }
  }

  /**
   * The tiers faster than `below` keep `response`. `'store'`: the store
   * tiers first, waited for, and nothing else when one refuses (the response
   * is not stored); `'fill'`: a copy from a slower tier, written to the store
   * tiers beside serving it (claiming a flight the walk did not take, see
   * `Level.claimLate`). Mirrors are filled at once, shared tiers in the
   * background; each write is what its level's claim waits for.
   */
  async #keep(walk: Walk, response: CachedResponse, below: number, mode: 'store' | 'fill'): Promise<boolean> {
    const levels = this.#levels.slice(0, below);
    const write = (level: number) => {
      const put = levels[level]!.tier.put(response);
      walk.writes[level] = put;
      return put;
    };
    for (let level = 0; level < levels.length; level++) {
      if (levels[level]!.tier.role !== 'store')
        continue;
      if (mode === 'fill')
        this.#events.track(walk.claimed.has(level) || !levels[level]!.flight ? write(level) : this.#fillUnclaimed(walk.request, level, response));
      else if (!await write(level))
        return false;
    }
    for (let level = 0; level < levels.length; level++) {
      const { role } = levels[level]!.tier;
      if (role === 'mirror')
        await write(level);
      else if (role === 'shared')
        this.#events.track(write(level));
    }
    return true;
  }
}

/**
 * Whether the outcome a leader of this process got is also the answer for
 * `request`: not a response the leader may not share (not stored), not a
 * page that went away, and not an early check's silent failure, which is
 * meant for nobody (a page's own request then gets its own turn).
 */
export function shareable(outcome: KeyOutcome, leader: { early: boolean }, request: CacheRequest): boolean {
  if (outcome.kind === 'passed' || outcome.kind === 'closed')
    return false;
  return !(leader.early && !request.early && outcome.kind === 'fallback');
}

function resolution(request: CacheRequest, outcome: KeyOutcome, shared: boolean): Resolution {
  switch (outcome.kind) {
    case 'hit':
      return { kind: 'served', request, response: outcome.response, source: shared ? 'memory' : outcome.source, stored: false, revalidated: outcome.revalidated };
    case 'stored':
      return { kind: 'served', request, response: outcome.response, source: shared ? 'memory' : 'network', stored: !shared, revalidated: false };
    case 'passed':
      return { ...outcome, request };
    default:
      return outcome;
  }
}

/**
 * Whether `found` is what the leader this request waited for got from the
 * origin: changed since `before` was read (it appeared, or was validated
 * later), and validated by that machine after it took the lead, by its own
 * clock. An older copy that merely appeared meanwhile (`bundle-cache push`)
 * is not.
 */
function checkedByLeader(found: CachedResponse, before: CachedResponse | undefined, leader: Leader): boolean {
  const changed = before === undefined || validatedAt(found) > validatedAt(before);
  return changed && found.meta.freshness?.validatedBy === leader.host && validatedAt(found) >= leader.since;
}

function validatedAt(response: CachedResponse): number {
  return Date.parse(response.meta.freshness?.validatedAt ?? response.meta.storedAt);
}

function offlineMiss(request: CacheRequest, dir: string): BundleCacheError {
  return new BundleCacheError('ERR_OFFLINE_MISS',
      `Offline mode: ${request.url} is not in the cache at ${dir}. Fix: warm the cache first (run once with mode 'default', or \`npx bundle-cache warm ${request.url}\`), or use mode 'default'.`,
      { url: request.url, dir });
}
