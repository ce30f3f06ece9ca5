import { posix } from 'node:path';
import { sha256Hex } from './digest.js';
import { assertPathname } from './faults.js';

/**
 * Where a redirected path points: `'versioned'` = a same-origin, hashed URL
 * of its current bytes (`/main.dart.js` → `/build/main.<16 hex>.js`),
 * `'cdn'` = the same file name on the CDN origin, under
 * `/flutter-canvaskit/<engine revision>/`.
 */
export type RedirectTarget = 'versioned' | 'cdn';
export type RedirectStatus = 301 | 302 | 303 | 307 | 308;

export interface RedirectRule {
  readonly to: RedirectTarget;
  readonly status: RedirectStatus;
}

const STATUSES: readonly number[] = [301, 302, 303, 307, 308] satisfies RedirectStatus[];

/** Redirect rules per pathname, set by tests; a static host's `_redirects`. */
export class Redirects {
  readonly #rules = new Map<string, RedirectRule>();

  set(pathname: string, to: RedirectTarget, status: RedirectStatus = 302): void {
    assertPathname(pathname);
    if (to !== 'versioned' && to !== 'cdn')
      throw new RangeError(`redirect(${pathname}): the target must be 'versioned' or 'cdn', got ${JSON.stringify(to)}`);
    if (!STATUSES.includes(status))
      throw new RangeError(`redirect(${pathname}): status must be one of ${STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
    if (to === 'versioned' && !posix.extname(pathname))
      throw new RangeError(`redirect(${pathname}, 'versioned'): only a file with an extension can get a hashed name, e.g. '/main.dart.js'`);
    if (pathname.startsWith('/build/'))
      throw new RangeError(`redirect(${pathname}): /build/ holds the versioned targets and cannot redirect itself`);
    this.#rules.set(pathname, { to, status });
  }

  get(pathname: string): RedirectRule | undefined {
    return this.#rules.get(pathname);
  }

  /** Sources redirected to a versioned URL, to resolve a request for `/build/…`. */
  versionedSources(): string[] {
    return [...this.#rules].filter(([, rule]) => rule.to === 'versioned').map(([pathname]) => pathname);
  }

  clear(): void {
    this.#rules.clear();
  }
}

/**
 * The hashed, same-origin URL of `body` served for `source`: the name's first
 * dot-part, 16 hex of its SHA-256, its last extension, under `/build`.
 */
export function versionedPath(source: string, body: Buffer): string {
  const dir = posix.dirname(source);
  const name = posix.basename(source);
  const stem = name.split('.')[0] || name;
  const ext = posix.extname(name);
  return posix.join('/build', dir, `${stem}.${sha256Hex(body).slice(0, 16)}${ext}`);
}
