/** What one scenario of the guarantee suite found: the tests assert `failures` is empty, `npm run stress` prints it as a row. */
export interface Outcome {
  /** The promise's number in the issue (1 many writers … 10 load). */
  readonly promise: number;
  readonly scenario: string;
  readonly iterations: number;
  /** One line per broken promise, saying which iteration and what was seen. */
  readonly failures: string[];
  /** Measured figures worth printing under the table (lock waits, RSS, debris removed…). */
  readonly figures: Record<string, string | number>;
}

/** Collects failures while a scenario runs. */
export class Tally {
  readonly failures: string[] = [];
  readonly figures: Record<string, string | number> = {};
  iterations = 0;

  constructor(readonly promise: number, readonly scenario: string) {}

  fail(message: string): void {
    this.failures.push(message);
  }

  check(ok: boolean, message: () => string): void {
    if (!ok)
      this.fail(message());
  }

  outcome(): Outcome {
    return { promise: this.promise, scenario: this.scenario, iterations: this.iterations, failures: this.failures, figures: this.figures };
  }
}

/**
 * Whether a `'problem'` event is one the guarantees are about. The stress
 * origin sends no validators on purpose (every write a fresh body), which
 * the cache reports once per URL as `ERR_NO_VALIDATORS`: a notice about the
 * origin, not a failure of the cache.
 */
export function isFailure(error: { code: string }): boolean {
  return error.code !== 'ERR_NO_VALIDATORS';
}
