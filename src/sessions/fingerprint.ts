import { createHash } from 'node:crypto';
import path from 'node:path';
import type { BrowserContextOptions } from 'playwright';

/**
 * The context options a site ties a session to. A bot-check cookie earned
 * with one user agent, from one proxy's IP, is burned when replayed with
 * another; a locale or time zone that changes between requests is a
 * fingerprint signal too; another HTTP-auth user is another identity. Each
 * combination is its own stored entry.
 */
export interface Fingerprint {
  readonly userAgent: string | null;
  readonly proxyServer: string | null;
  readonly locale: string | null;
  readonly timezoneId: string | null;
  readonly httpUsername: string | null;
}

export function fingerprintOf(options: BrowserContextOptions): Fingerprint {
  return {
    userAgent: options.userAgent ?? null,
    proxyServer: options.proxy?.server ?? null,
    locale: options.locale ?? null,
    timezoneId: options.timezoneId ?? null,
    httpUsername: httpUsername(options.httpCredentials),
  };
}

/** One user, or one per origin (`origin=user`, sorted): never the password. */
function httpUsername(credentials: BrowserContextOptions['httpCredentials']): string | null {
  if (!credentials)
    return null;
  if (!Array.isArray(credentials))
    return credentials.username;
  return credentials.map(entry => `${entry.origin ?? '*'}=${entry.username}`).sort().join(',') || null;
}

export const SESSIONS_DIR = 'sessions';
const SLUG_MAX = 40;
// Windows reserves these names with any extension; keep caches portable.
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d|conin\$|conout\$)$/i;

/** Where one (name, fingerprint) entry lives: `<dir>/sessions/<slug>-<hash>`, plus `.json` and `.lock`. */
export interface SessionPaths {
  /** 128 bits of sha256 of the name and the fingerprint: stored in the file and compared on read. */
  readonly keyHash: string;
  readonly dir: string;
  /** The lock is taken on this stem (`<stem>.lock`). */
  readonly stem: string;
  readonly file: string;
}

export function sessionKeyHash(name: string, fingerprint: Fingerprint): string {
  const key = JSON.stringify([name, fingerprint.userAgent, fingerprint.proxyServer, fingerprint.locale, fingerprint.timezoneId, fingerprint.httpUsername]);
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export function sessionPaths(root: string, name: string, fingerprint: Fingerprint): SessionPaths {
  const keyHash = sessionKeyHash(name, fingerprint);
  const dir = path.join(root, SESSIONS_DIR);
  const stem = path.join(dir, `${sessionSlug(name)}-${keyHash}`);
  return { keyHash, dir, stem, file: `${stem}.json` };
}

/** The readable part of a file name: the session's name, reduced to `[A-Za-z0-9._-]`, never a dot file or a device name. */
export function sessionSlug(name: string): string {
  let clean = name.normalize('NFKC').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_').slice(0, SLUG_MAX).replace(/[.\s]+$/, '');
  if (RESERVED.test(clean.split('.')[0]!))
    clean = `_${clean}`;
  return clean || 'session';
}
