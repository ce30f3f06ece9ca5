import { randomBytes } from 'node:crypto';

/** One server-side session: what the cookie and the token stand for. */
export interface ServerSession {
  readonly user: string;
  readonly sid: string;
  readonly token: string;
  revoked: boolean;
}

const USER = /^[a-z][a-z0-9_-]{0,31}$/;

/** The password of `user` on the login site. */
export function passwordOf(user: string): string {
  return `pw-${user}`;
}

/**
 * The login site's server-side state: sessions by cookie, logins counted
 * per user, and the switches tests flip (revoke, challenge, burn, throttle).
 * Every cookie value and token it hands out is kept, so a test can look
 * for them where they must not be (canaries).
 */
export class Accounts {
  readonly #sessions = new Map<string, ServerSession>();
  readonly #logins = new Map<string, number>();
  readonly #issued: string[] = [];
  readonly challenged = new Set<string>();
  readonly burned = new Set<string>();
  readonly banned = new Set<string>();
  readonly throttled = new Set<string>();

  static isUser(name: string): boolean {
    return USER.test(name);
  }

  /** A successful login: a new session, counted. */
  login(user: string): ServerSession {
    const session: ServerSession = {
      user,
      sid: `sid-${user}-${randomBytes(12).toString('hex')}`,
      token: `tok-${user}-${randomBytes(12).toString('hex')}`,
      revoked: this.burned.has(user),
    };
    this.#sessions.set(session.sid, session);
    this.#logins.set(user, this.logins(user) + 1);
    this.#issued.push(session.sid, session.token);
    return session;
  }

  bySid(sid: string | undefined): ServerSession | undefined {
    return sid === undefined ? undefined : this.#sessions.get(sid);
  }

  logins(user: string): number {
    return this.#logins.get(user) ?? 0;
  }

  /** The API answers 452 to every session of `user` from now on; a new login works again. */
  revoke(user: string): void {
    for (const session of this.#sessions.values()) {
      if (session.user === user)
        session.revoked = true;
    }
  }

  /** Every cookie value and token handed out so far. */
  issued(): readonly string[] {
    return [...this.#issued];
  }
}
