import type { Claim, Flight, Leader } from '../../../src/core/flight.js';
import { sha256Hex, type CachedResponse } from '../../../src/core/meta.js';
import type { Origin, OriginAsk, OriginResponse } from '../../../src/core/origin.js';
import type { CacheRequest } from '../../../src/core/request.js';
import type { Tier, TierName, TierRole } from '../../../src/core/tier.js';
import type { KeyOutcome } from '../../../src/engine/outcome.js';

// Fakes for driving the Resolver without a disk, a remote or a network: tiers
// that keep copies in a map, flights that answer as a test scripts them, an
// origin that answers from a script, and one journal in which they all write,
// so a test can say what happened before what.

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A clock the test moves by hand (ms since the epoch). */
export class Clock {
  now = Date.UTC(2026, 0, 15, 12, 0, 0);
  readonly read = (): number => this.now;

  advance(ms: number): void {
    this.now += ms;
  }
}

/** A promise the test settles by hand. */
export class Deferred<T = void> {
  readonly promise: Promise<T>;
  resolve!: (value: T) => void;
  reject!: (error: unknown) => void;

  constructor() {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
}

/** Holds callers at `pass()` while held; `hold()` returns the function that lets them through. */
class Gate {
  #held: Deferred | undefined;

  hold(): () => void {
    const held = new Deferred();
    this.#held = held;
    return () => {
      this.#held = undefined;
      held.resolve();
    };
  }

  async pass(): Promise<void> {
    await this.#held?.promise;
  }
}

const ROLES: Record<TierName, TierRole> = { memory: 'mirror', disk: 'store', remote: 'shared' };

/**
 * A tier in a map. It checks what it returns as a real tier does (a copy
 * whose body does not match its size and sha256 is corrupt: a miss), can
 * refuse puts, and can hold them until the test lets them finish.
 */
export class FakeTier implements Tier {
  readonly name: TierName;
  readonly role: TierRole;
  readonly copies = new Map<string, CachedResponse>();
  /** Keys asked for, in order. */
  readonly gets: string[] = [];
  /** Responses offered, in order (kept or not). */
  readonly puts: CachedResponse[] = [];
  /** Copies the resolver said it served (the tier's `served` hook). */
  readonly servedCopies: CachedResponse[] = [];
  /** Corrupt copies found (and not returned). */
  corruptReads = 0;
  /** Puts resolve false and keep nothing. */
  refuse = false;
  readonly #journal: string[];
  readonly #gate = new Gate();

  constructor(name: TierName, journal: string[]) {
    this.name = name;
    this.role = ROLES[name];
    this.#journal = journal;
  }

  async get(request: CacheRequest): Promise<CachedResponse | undefined> {
    this.gets.push(request.key);
    const copy = this.copies.get(request.key);
    if (!copy)
      return undefined;
    if (copy.body.length !== copy.meta.size || sha256Hex(copy.body) !== copy.meta.sha256) {
      this.corruptReads++;
      return undefined;
    }
    return copy;
  }

  async put(response: CachedResponse): Promise<boolean> {
    this.puts.push(response);
    this.#journal.push(`${this.name} put`);
    await this.#gate.pass();
    if (this.refuse) {
      this.#journal.push(`${this.name} refused`);
      return false;
    }
    this.copies.set(response.meta.key, response);
    this.#journal.push(`${this.name} kept`);
    return true;
  }

  served(response: CachedResponse): void {
    this.servedCopies.push(response);
  }

  /** Puts from now on wait until the returned function is called. */
  hold(): () => void {
    return this.#gate.hold();
  }

  /** Keeps `response` with one byte of its body flipped, its meta unchanged. */
  keepCorrupt(response: CachedResponse): void {
    const body = Buffer.from(response.body);
    body[0] = body[0]! ^ 0xff;
    this.copies.set(response.meta.key, { meta: response.meta, body });
  }
}

/** What a scripted claim answers: the three kinds, and `joined` may first leave a copy in the guarded tier, as a leader would. */
export type ClaimScript =
  | 'lead'
  | { readonly alone: string }
  | { readonly joined: KeyOutcome | undefined; readonly leaderLeft?: CachedResponse; readonly leader?: Leader };

/** A flight that answers claims as scripted (`lead` once the script is used up) and records claims and releases in the journal. */
export class FakeFlight implements Flight<KeyOutcome> {
  readonly guards: TierName;
  readonly claims: string[] = [];
  readonly releases: Array<{ readonly key: string; readonly outcome: KeyOutcome | undefined }> = [];
  readonly #journal: string[];
  readonly #tier: FakeTier;
  readonly #script: ClaimScript[] = [];
  readonly #gate = new Gate();

  constructor(tier: FakeTier, journal: string[]) {
    this.guards = tier.name;
    this.#tier = tier;
    this.#journal = journal;
  }

  /** The next claims answer these, in order. */
  script(...answers: ClaimScript[]): this {
    this.#script.push(...answers);
    return this;
  }

  /** Claims from now on answer only once the returned function is called (another holder, as it were). */
  hold(): () => void {
    return this.#gate.hold();
  }

  async claim(request: CacheRequest): Promise<Claim<KeyOutcome>> {
    this.claims.push(request.key);
    this.#journal.push(`${this.guards} claim`);
    await this.#gate.pass();
    const answer = this.#script.shift() ?? 'lead';
    if (answer === 'lead') {
      return {
        kind: 'lead',
        release: async outcome => {
          this.#journal.push(`${this.guards} release`);
          this.releases.push({ key: request.key, outcome });
        },
      };
    }
    if ('alone' in answer)
      return { kind: 'alone', reason: answer.alone };
    if (answer.leaderLeft)
      this.#tier.copies.set(answer.leaderLeft.meta.key, answer.leaderLeft);
    return { kind: 'joined', outcome: answer.joined, ...(answer.leader ? { leader: answer.leader } : {}) };
  }
}

type Answer = OriginResponse | Error | ((ask: { url: string; headers: Readonly<Record<string, string>> }) => OriginResponse | Promise<OriginResponse>);

/** The origin, answering a script: each ask takes the next answer; an Error is thrown, a function is called. */
export class FakeOrigin {
  /** Every ask: the URL it was for (`own`: the cache gave none, so the way in's own request's URL) and its headers. */
  readonly asks: Array<{ readonly url: string; readonly own: boolean; readonly headers: Readonly<Record<string, string>> }> = [];
  readonly #script: Answer[] = [];
  readonly #waiting: Array<{ count: number; reached: Deferred }> = [];
  readonly #journal: string[];

  constructor(journal: string[]) {
    this.#journal = journal;
  }

  reply(...answers: Answer[]): this {
    this.#script.push(...answers);
    return this;
  }

  /** Resolves once `count` asks have arrived. */
  asked(count: number): Promise<void> {
    const reached = new Deferred();
    if (this.asks.length >= count)
      reached.resolve();
    else
      this.#waiting.push({ count, reached });
    return reached.promise;
  }

  /** The Origin of one way in, whose own request is for `requestUrl`. */
  for(requestUrl: string): Origin {
    return async (ask: OriginAsk) => {
      const url = ask.url ?? requestUrl;
      this.asks.push({ url, own: ask.url === undefined, headers: ask.headers });
      this.#journal.push(`origin ${url}`);
      for (const waiting of this.#waiting.filter(w => this.asks.length >= w.count))
        waiting.reached.resolve();
      const answer = this.#script.shift();
      if (answer === undefined)
        throw new Error(`the test's origin has no answer for ask ${this.asks.length} (${url})`);
      if (answer instanceof Error)
        throw answer;
      return typeof answer === 'function' ? answer({ url, headers: ask.headers }) : answer;
    };
  }
}

const JS = { 'content-type': 'text/javascript' };

/** A 200 with a Content-Length (so its end is proven) and `headers`. */
export function ok(body: string, headers: Record<string, string> = {}): OriginResponse {
  const bytes = Buffer.from(body);
  return { status: 200, headers: { ...JS, 'content-length': String(bytes.length), ...headers }, body: bytes };
}

export function answer(status: number, headers: Record<string, string> = {}, body = ''): OriginResponse {
  const bytes = Buffer.from(body);
  return { status, headers: { 'content-length': String(bytes.length), ...headers }, body: bytes };
}

export function notModified(headers: Record<string, string> = {}): OriginResponse {
  return { status: 304, headers, body: Buffer.alloc(0) };
}

/** Headers of a host that wants every use checked (Netlify's). */
export const MUST_REVALIDATE = { 'cache-control': 'public, max-age=0, must-revalidate' };
