import type { BundleCacheError } from '../errors.js';
import type { CircuitBreaker } from './circuitBreaker.js';
import type { RemoteStats } from './remoteStats.js';

/**
 * What every remote operation of one tier goes through: the circuit
 * breaker before, the failure policy after. A transient failure counts
 * towards opening the circuit and is reported; a refused write is reported
 * once and stops writes for the run; a cancel (flush bound, close) is
 * neither. Every report is counted in `remoteErrors`.
 */
export class RemoteGuard {
  readonly #breaker: CircuitBreaker;
  readonly #stats: RemoteStats;
  readonly #report: (error: BundleCacheError) => void;
  readonly #closing: AbortSignal;
  #writesStopped: BundleCacheError | undefined;

  constructor(breaker: CircuitBreaker, stats: RemoteStats, report: (error: BundleCacheError) => void, closing: AbortSignal) {
    this.#breaker = breaker;
    this.#stats = stats;
    this.#report = report;
    this.#closing = closing;
  }

  /** Aborts when the tier closes. */
  get closing(): AbortSignal {
    return this.#closing;
  }

  /** The refusal that stopped writes for this run, if any. */
  get writesStopped(): BundleCacheError | undefined {
    return this.#writesStopped;
  }

  /** True when an operation may go to the remote now (counted in `remoteSkipped` when not). */
  allow(): boolean {
    if (this.#closing.aborted)
      return false;
    if (this.#breaker.allow())
      return true;
    this.#stats.remoteSkipped++;
    return false;
  }

  /** The remote answered (whatever the answer said). */
  answered(): void {
    this.#breaker.success();
  }

  /** Applies the failure policy; returns the error's message for outcomes. */
  failed(error: BundleCacheError): string {
    if (error.details.cancelled === true)
      return error.message;
    if (error.code === 'ERR_REMOTE_WRITE_REFUSED') {
      this.#breaker.success();
      if (!this.#writesStopped) {
        this.#writesStopped = error;
        this.problem(error);
      }
      return error.message;
    }
    this.#breaker.failure();
    this.problem(error);
    return error.message;
  }

  /** Reports a problem that is not a failure of the remote (an untrusted or corrupt entry). */
  problem(error: BundleCacheError): void {
    this.#stats.remoteErrors++;
    this.#report(error);
  }
}
