/**
 * How a request is made to fail: an HTTP status, a TCP reset, silence, or a
 * 200 whose body is cut off halfway (see `BodyCut`).
 */
export type Fault = { status: number } | 'reset' | 'hang' | BodyCut;

/**
 * A 200 with the resource's real headers and half its body:
 * - `'chunked-reset'`: chunked (no Content-Length), then a TCP reset (RST);
 * - `'short-close'`: the full Content-Length, then a clean close (FIN);
 * - `'gzip-cut'`: `Content-Encoding: gzip` (whatever the request accepts),
 *   half the gzip stream, framed by a Content-Length that matches it, so
 *   only the missing gzip trailer shows the cut.
 */
export type BodyCut = 'chunked-reset' | 'short-close' | 'gzip-cut';

const BODY_CUTS: readonly string[] = ['chunked-reset', 'short-close', 'gzip-cut'] satisfies BodyCut[];

export function isBodyCut(how: Fault): how is BodyCut {
  return typeof how === 'string' && BODY_CUTS.includes(how);
}

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
    if (how !== 'reset' && how !== 'hang' && !isBodyCut(how)) {
      if (typeof how !== 'object' || !Number.isInteger(how.status) || how.status < 200 || how.status > 599)
        throw new RangeError(`fail(${pathname}): expected { status: 200..599 }, 'reset', 'hang', 'chunked-reset', 'short-close' or 'gzip-cut', got ${JSON.stringify(how)}`);
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
