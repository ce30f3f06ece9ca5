import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { Accounts, passwordOf, type ServerSession } from './accounts.js';
import { appPage, challengePage, lockedPage, loginPage, reportPage, welcomePage } from './pages.js';

export { passwordOf } from './accounts.js';

export interface LoginSiteOptions {
  /** How long a login POST takes before it answers. Default: 2000 ms, a real site's login. */
  loginDelayMs?: number;
  /** Max-Age of the session cookie, in seconds. Default: none (a session cookie, `expires` -1). */
  cookieMaxAgeS?: number;
}

/** A site with a slow login, for the session tests, the bench and the docs. */
export interface LoginSite {
  readonly origin: string;
  /** Logins that succeeded for `user`. */
  logins(user: string): number;
  /** Login form posts for `user`, successful or not. */
  attempts(user: string): number;
  /** The API answers 452 to every existing session of `user` (a new login works). */
  revoke(user: string): void;
  /** `/app/report` answers 403 with a challenge page to `user`'s sessions while on. */
  challenge(user: string, on?: boolean): void;
  /** Every new session of `user` is revoked at birth: the login works, the API answers 452 (a burned IP). */
  burn(user: string, on?: boolean): void;
  /** The login of `user` answers 403 (locked account). */
  ban(user: string, on?: boolean): void;
  /** The API answers 429 with Retry-After to `user` while on. */
  throttle(user: string, on?: boolean): void;
  /** Every cookie value and token handed out (canaries). */
  issued(): readonly string[];
  close(): Promise<void>;
}

/**
 * - `GET /login`: the form; `POST /login` (user, password): after `loginDelayMs`,
 *   an HttpOnly `sid` cookie and a redirect to `/welcome`, whose script stores
 *   the API token in localStorage and goes on to `/app`;
 * - `GET /app`: the user's page (cookie required, else a redirect to /login),
 *   whose script calls `GET /api/me` with the token: `{ user }`, 401 without
 *   cookie or token, 452 once revoked, 429 while throttled;
 * - `GET /app/report`: the user's report, or 403 with a challenge page;
 * - `POST /logout`: clears the cookie in the browser (the server session stays valid);
 * - `POST /admin/revoke?user=<user>`: `revoke(user)`, for tests in other processes.
 */
export async function startLoginSite(options: LoginSiteOptions = {}): Promise<LoginSite> {
  const accounts = new Accounts();
  const attempts = new Map<string, number>();
  const loginDelayMs = options.loginDelayMs ?? 2000;
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(error => {
      console.error('tests/site/login: request failed', req.url, error);
      res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', socket => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const session = accounts.bySid(cookie(req, 'sid'));
    if (req.method === 'POST' && url.pathname === '/login')
      return login(req, res);
    // For nested suites, whose tests run in other processes than the site: the server-side revoke, over HTTP.
    if (req.method === 'POST' && url.pathname === '/admin/revoke') {
      accounts.revoke(url.searchParams.get('user') ?? '');
      return send(res, 204, '', {});
    }
    if (req.method === 'POST' && url.pathname === '/logout')
      return send(res, 303, '', { location: '/login', 'set-cookie': 'sid=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax' });
    if (url.pathname === '/login')
      return html(res, 200, loginPage());
    if (url.pathname === '/api/me')
      return api(req, res, session);
    if (!session)
      return send(res, 302, '', { location: '/login' });
    if (url.pathname === '/welcome')
      return html(res, 200, welcomePage(session.token));
    if (url.pathname === '/app')
      return html(res, 200, appPage(session.user));
    if (url.pathname === '/app/report')
      return accounts.challenged.has(session.user) ? html(res, 403, challengePage()) : html(res, 200, reportPage(session.user));
    return send(res, 404, 'not found', { 'content-type': 'text/plain' });
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await body(req));
    const user = form.get('user') ?? '';
    attempts.set(user, (attempts.get(user) ?? 0) + 1);
    if (accounts.banned.has(user))
      return html(res, 403, lockedPage());
    await delay(loginDelayMs);
    if (!Accounts.isUser(user) || form.get('password') !== passwordOf(user))
      return html(res, 401, loginPage('Wrong user name or password.'));
    const session = accounts.login(user);
    const maxAge = options.cookieMaxAgeS === undefined ? '' : `; Max-Age=${options.cookieMaxAgeS}`;
    send(res, 303, '', { location: '/welcome', 'set-cookie': `sid=${session.sid}; Path=/; HttpOnly; SameSite=Lax${maxAge}` });
  }

  function api(req: IncomingMessage, res: ServerResponse, session: ServerSession | undefined): void {
    const json = (status: number, value: object, headers: Record<string, string> = {}) =>
      send(res, status, JSON.stringify(value), { 'content-type': 'application/json', ...headers });
    if (!session || req.headers.authorization !== `Bearer ${session.token}`)
      return json(401, { error: 'not logged in' });
    if (accounts.throttled.has(session.user))
      return json(429, { error: 'slow down' }, { 'retry-after': '30' });
    if (session.revoked)
      return json(452, { error: 'session revoked' });
    json(200, { user: session.user });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const toggle = (set: Set<string>) => (user: string, on = true) => void (on ? set.add(user) : set.delete(user));
  return {
    origin: `http://127.0.0.1:${port}`,
    logins: user => accounts.logins(user),
    attempts: user => attempts.get(user) ?? 0,
    revoke: user => accounts.revoke(user),
    challenge: toggle(accounts.challenged),
    burn: toggle(accounts.burned),
    ban: toggle(accounts.banned),
    throttle: toggle(accounts.throttled),
    issued: () => accounts.issued(),
    close: async () => {
      for (const socket of sockets)
        socket.destroy();
      await new Promise<void>(resolve => server.close(() => resolve()));
    },
  };
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name)
      return value.join('=');
  }
  return undefined;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req)
    chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function html(res: ServerResponse, status: number, text: string): void {
  send(res, status, text, { 'content-type': 'text/html; charset=utf-8' });
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string>): void {
  res.writeHead(status, { 'cache-control': 'no-store', ...headers });
  res.end(text);
}
