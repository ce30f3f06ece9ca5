import type { CachedResponse } from '../disk/meta.js';
import { withDeadline } from './deadline.js';
import { readEntry, type ReadOutcome, type ReadSettings } from './readEntry.js';
import { recordId } from './record.js';
import type { RemoteGuard } from './remoteGuard.js';
import type { RemoteStats } from './remoteStats.js';

/** The read side of the tier: an outcome of `readEntry` becomes an entry or a counted, reported miss. */
export class RemoteReader {
  readonly #settings: ReadSettings;
  readonly #guard: RemoteGuard;
  readonly #stats: RemoteStats;
  readonly #track: (work: Promise<unknown>) => void;

  constructor(settings: ReadSettings, guard: RemoteGuard, stats: RemoteStats, track: (work: Promise<unknown>) => void) {
    this.#settings = settings;
    this.#guard = guard;
    this.#stats = stats;
    this.#track = track;
  }

  async lookup(key: string): Promise<CachedResponse | undefined> {
    if (!this.#guard.allow()) {
      this.#stats.remoteMisses++;
      return undefined;
    }
    return this.settle(await this.read(key));
  }

  /**
   * After the fleet lock was taken: the entry, if another machine published
   * it since `lookup()` missed. What that miss reported (an untrusted or
   * corrupt record) is not reported or counted again.
   */
  async recheck(key: string): Promise<CachedResponse | undefined> {
    if (!this.#guard.allow())
      return undefined;
    const outcome = await this.read(key);
    if (outcome.kind === 'hit')
      return this.settle(outcome);
    if (outcome.kind === 'unavailable')
      this.#guard.failed(outcome.error);
    else
      this.#guard.answered();
    return undefined;
  }

  /** Reads without judging: for polls that tell "not there yet" from a miss. */
  async read(key: string): Promise<ReadOutcome> {
    return readEntry(this.#settings, recordId(key), key, this.#guard.closing);
  }

  settle(outcome: ReadOutcome): CachedResponse | undefined {
    if (outcome.kind === 'unavailable') {
      this.#guard.failed(outcome.error);
    } else {
      this.#guard.answered();
      if (outcome.kind === 'hit') {
        this.#stats.remoteHits++;
        this.#stats.bytesFromRemote += outcome.response.body.length;
        return outcome.response;
      }
      if (outcome.kind === 'untrusted' || outcome.kind === 'corrupt')
        this.#guard.problem(outcome.error);
      if (outcome.kind === 'corrupt' && outcome.body)
        this.#dropBody(outcome.body);
    }
    this.#stats.remoteMisses++;
    return undefined;
  }

  /** Bytes that do not hash to their address are wrong for everyone: drop them so the next upload replaces them. */
  #dropBody(body: NonNullable<Extract<ReadOutcome, { kind: 'corrupt' }>['body']>): void {
    const { store, timeoutMs } = this.#settings;
    if (store.readOnly)
      return;
    this.#track(withDeadline(timeoutMs, this.#guard.closing, signal => store.deleteBody(body, signal)).catch(() => {}));
  }
}
