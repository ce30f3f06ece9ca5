export interface BreakerSettings {
  /** Consecutive failures that open the circuit. Default 3. */
  readonly failures: number;
  /** How long an open circuit stops asking before one probe, in ms. Default 30 s. */
  readonly cooldownMs: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { failures: 3, cooldownMs: 30_000 };

export type BreakerState = 'closed' | 'open' | 'half-open';

/**
 * Stops asking a remote that failed several times in a row: with a 2 s
 * deadline, a dead Redis would otherwise cost every request 2 s. After the
 * cooldown one operation goes through as a probe; its success closes the
 * circuit, its failure opens it for another cooldown. Only availability
 * failures count: a corrupt record proves the remote answers.
 */
export class CircuitBreaker {
  readonly #settings: BreakerSettings;
  readonly #now: () => number;
  #state: BreakerState = 'closed';
  #failures = 0;
  #since = 0;
  #opened = 0;

  constructor(settings: BreakerSettings, now: () => number) {
    this.#settings = settings;
    this.#now = now;
  }

  get state(): BreakerState {
    return this.#state;
  }

  /** How many times the circuit opened. */
  get opened(): number {
    return this.#opened;
  }

  /** True when an operation may go to the remote now. */
  allow(): boolean {
    if (this.#state === 'closed')
      return true;
    if (this.#now() - this.#since < this.#settings.cooldownMs)
      return false;
    // Open past its cooldown, or a probe that never reported back: let one more through.
    this.#state = 'half-open';
    this.#since = this.#now();
    return true;
  }

  success(): void {
    this.#state = 'closed';
    this.#failures = 0;
  }

  /** Records a failure; true when it opened the circuit. */
  failure(): boolean {
    this.#failures++;
    if (this.#state === 'half-open' || (this.#state === 'closed' && this.#failures >= this.#settings.failures)) {
      this.#state = 'open';
      this.#since = this.#now();
      this.#opened++;
      return true;
    }
    return false;
  }
}
