import type { SessionCookie, SessionPayload, SessionState } from '../../../src/sessions/storageState.js';

/** A cookie as Playwright reports it; `expires` in Unix seconds, -1 for a session cookie. */
export function cookie(name: string, expires: number, domain = '127.0.0.1'): SessionCookie {
  return { name, value: `value-of-${name}`, domain, path: '/', expires, httpOnly: true, secure: false, sameSite: 'Lax' };
}

export function state(cookies: SessionCookie[], origins: SessionState['origins'] = []): SessionState {
  return { cookies, origins };
}

export function payload(overrides: Partial<SessionState> = {}, visited: string[] = []): SessionPayload {
  return {
    state: {
      cookies: [cookie('sid', -1)],
      origins: [{ origin: 'http://127.0.0.1:8080', localStorage: [{ name: 'token', value: 'tok-secret-canary' }] }],
      ...overrides,
    },
    visited,
  };
}
