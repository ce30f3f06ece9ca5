import { z } from 'zod';

/**
 * Playwright's `storageState` object, as `context.storageState({ indexedDB: true })`
 * returns it and `browser.newContext({ storageState })` takes it. IndexedDB
 * databases are kept as Playwright wrote them (their shape is Playwright's).
 */
const cookieSchema = z.object({
  name: z.string(),
  value: z.string(),
  domain: z.string(),
  path: z.string(),
  /** Unix time in seconds; -1 for a session cookie. */
  expires: z.number(),
  httpOnly: z.boolean(),
  secure: z.boolean(),
  sameSite: z.enum(['Strict', 'Lax', 'None']),
});

const originSchema = z.object({
  origin: z.string(),
  localStorage: z.array(z.object({ name: z.string(), value: z.string() })),
  indexedDB: z.array(z.unknown()).optional(),
});

export const storageStateSchema = z.object({
  cookies: z.array(cookieSchema),
  origins: z.array(originSchema),
});

export type SessionState = z.infer<typeof storageStateSchema>;
export type SessionCookie = SessionState['cookies'][number];

/** What a session file holds besides the state: the origins its warm-up loaded pages from. */
export const payloadSchema = z.object({
  state: storageStateSchema,
  visited: z.array(z.string()),
});

export type SessionPayload = z.infer<typeof payloadSchema>;

/** Counts for `bundle-cache sessions`: never a name's value. */
export interface StateCounts {
  readonly cookies: number;
  /** localStorage items plus IndexedDB databases, over every origin. */
  readonly storageKeys: number;
}

export function stateCounts(state: SessionState): StateCounts {
  return {
    cookies: state.cookies.length,
    storageKeys: state.origins.reduce((sum, origin) => sum + origin.localStorage.length + (origin.indexedDB?.length ?? 0), 0),
  };
}

/** A warm-up that left nothing has not earned a session. */
export function isEmptyState(state: SessionState): boolean {
  const counts = stateCounts(state);
  return counts.cookies === 0 && counts.storageKeys === 0;
}

/**
 * Where the session belongs, for rejection and for people: the hosts of
 * its cookies (as `host` patterns: a cookie for `.example.com` covers its
 * subdomains), and the origins of its storage and of the pages its warm-up
 * visited.
 */
export interface SessionScope {
  /** Cookie domains, without a leading dot. */
  readonly cookieDomains: readonly string[];
  /** `scheme://host:port` origins. */
  readonly origins: readonly string[];
}

export function scopeOf(payload: SessionPayload): SessionScope {
  const cookieDomains = new Set(payload.state.cookies.map(cookie => cookie.domain.replace(/^\./, '').toLowerCase()));
  const origins = new Set([...payload.state.origins.map(origin => origin.origin), ...payload.visited]);
  return { cookieDomains: [...cookieDomains].sort(), origins: [...origins].sort() };
}

/** Whether a response of `url` belongs to the session: its origin is one of the session's, or a cookie of it would be sent there. */
export function inScope(scope: SessionScope, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return false;
  if (scope.origins.includes(parsed.origin))
    return true;
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return scope.cookieDomains.some(domain => host === domain || host.endsWith(`.${domain}`));
}

/** The places a session covers, for display: its origins, then cookie hosts no origin already names. */
export function scopeLabels(scope: SessionScope): string[] {
  const hosts = new Set(scope.origins.map(origin => new URL(origin).hostname));
  return [...scope.origins, ...scope.cookieDomains.filter(domain => !hosts.has(domain))];
}
