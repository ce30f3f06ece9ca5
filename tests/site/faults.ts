/** How a request is made to fail: an HTTP status, a TCP reset, or silence. */
export type Fault = { status: number } | 'reset' | 'hang';

interface Rule {
  readonly how: Fault;
  remaining: number;
}

/** Injected failures per pathname, consumed one per request. */
export class Faults {
  readonly #rules = new Map<string, Rule>();

  /** Validates here so a typo fails the test that wrote it, not a later request. */
  add(pathname: string, how: Fault, times = Infinity): void {
    assertPathname(pathname);
    if (how !== 'reset' && how !== 'hang') {
      if (typeof how !== 'object' || !Number.isInteger(how.status) || how.status < 200 || how.status > 599)
        throw new RangeError(`fail(${pathname}): expected { status: 200..599 }, 'reset' or 'hang', got ${JSON.stringify(how)}`);
    }
    if (times !== Infinity && (!Number.isInteger(times) || times < 1))
      throw new RangeError(`fail(${pathname}): times must be a positive integer (or omitted for "until cleared"), got ${times}`);
    this.#rules.set(pathname, { how, remaining: times });
  }

  /** The fault for this request, if any; counts it against `times`. */
  take(pathname: string): Fault | undefined {
    const rule = this.#rules.get(pathname);
    if (!rule)
      return undefined;
    if (--rule.remaining <= 0)
      this.#rules.delete(pathname);
    return rule.how;
  }

  clear(): void {
    this.#rules.clear();
  }
}

export function assertPathname(pathname: string): void {
  if (typeof pathname !== 'string' || !pathname.startsWith('/') || /[?#]/.test(pathname))
    throw new TypeError(`Expected a pathname like '/main.dart.js' (leading slash, no query or hash), got ${JSON.stringify(pathname)}`);
}
