import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { log } from '../log.js';
import type { LoopbackCertificate } from './certificate.js';

/** A response waiting for the browser to fetch it from the loopback server. */
export interface Published {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** A published URL the browser never fetched (its page closed) expires after this long. */
export const PUBLISHED_TTL_MS = 60_000;

/** The clock and timer the server expires published URLs with; tests pass their own, so nobody waits a minute. */
export interface LoopbackClock {
  now(): number;
  /** Calls `tick` every `ms` until the returned function is called; must not keep the process alive. */
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: LoopbackClock = {
  now: Date.now,
  every: (ms, tick) => {
    const timer = setInterval(tick, ms).unref();
    return () => clearInterval(timer);
  },
};

/** What the server was asked, counted (never what the requests carried). */
export interface LoopbackCounts {
  /** Requests received, of any kind. */
  readonly received: number;
  /** Published bodies handed out. */
  readonly served: number;
  /** Requests answered 404: no token, a wrong one, an unknown, used or expired id, not a GET. */
  readonly refused: number;
}

/**
 * A small HTTP(S) server on 127.0.0.1 that hands cached bodies to Chromium's
 * own network stack, so a hit costs what a local server costs instead of a
 * base64 trip through the DevTools protocol. Only the cache can read through
 * it: each URL carries this process's unguessable token and a one-off id;
 * anything else is a 404. Request headers (cookies, authorization) are never
 * looked at, logged or stored.
 */
export class LoopbackServer {
  readonly #token = randomBytes(24).toString('base64url');
  readonly #published = new Map<string, Published & { expiresAt: number }>();
  readonly #servers: Partial<Record<'http' | 'https', Promise<{ server: http.Server; origin: string }>>> = {};
  readonly #certificate: () => Promise<LoopbackCertificate>;
  readonly #clock: LoopbackClock;
  readonly #counts = { received: 0, served: 0, refused: 0 };
  #nextId = 0;
  #stopSweeper: (() => void) | undefined;
  #closed = false;

  constructor(certificate: () => Promise<LoopbackCertificate>, clock: LoopbackClock = systemClock) {
    this.#certificate = certificate;
    this.#clock = clock;
  }

  /** Makes `response` fetchable once from a loopback URL of the given scheme. */
  async publish(response: Published, scheme: 'http' | 'https', fileName: string): Promise<string> {
    const { origin } = await this.#start(scheme);
    const id = (++this.#nextId).toString(36);
    this.#published.set(id, { ...response, expiresAt: this.#clock.now() + PUBLISHED_TTL_MS });
    this.#stopSweeper ??= this.#clock.every(PUBLISHED_TTL_MS, () => this.#sweep());
    return `${origin}/${this.#token}/${id}/${encodeURIComponent(fileName)}`;
  }

  /** Forgets a URL that will not be fetched (the route was handled otherwise). */
  unpublish(url: string): void {
    this.#published.delete(new URL(url).pathname.split('/')[2] ?? '');
  }

  get pendingCount(): number {
    return this.#published.size;
  }

  get counts(): LoopbackCounts {
    return { ...this.#counts };
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopSweeper?.();
    this.#published.clear();
    const servers = await Promise.allSettled(Object.values(this.#servers));
    await Promise.all(servers.map(settled => settled.status === 'fulfilled' ? closeServer(settled.value.server) : undefined));
  }

  #start(scheme: 'http' | 'https'): Promise<{ server: http.Server; origin: string }> {
    if (this.#closed)
      return Promise.reject(new Error('loopback server closed'));
    this.#servers[scheme] ??= (async () => {
      const handler = (request: http.IncomingMessage, response: http.ServerResponse) => this.#serve(request, response);
      const server = scheme === 'https'
        ? https.createServer(await this.#certificate(), handler)
        : http.createServer(handler);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      server.unref();
      const origin = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
      log.debug(`loopback server listening on ${origin}`);
      return { server, origin };
    })();
    return this.#servers[scheme]!;
  }

  #serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    this.#counts.received++;
    const [, token, id] = (request.url ?? '').split('/');
    let published = token === this.#token && id ? this.#published.get(id) : undefined;
    // Expired but not swept yet: as gone as a swept one.
    if (published && published.expiresAt <= this.#clock.now()) {
      this.#published.delete(id!);
      published = undefined;
    }
    if (!published || (request.method !== 'GET' && request.method !== 'HEAD')) {
      this.#counts.refused++;
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    this.#counts.served++;
    response.once('finish', () => this.#published.delete(id!));
    response.writeHead(published.status, published.headers);
    response.end(request.method === 'HEAD' ? undefined : published.body);
  }

  #sweep(): void {
    const now = this.#clock.now();
    for (const [id, published] of this.#published) {
      if (published.expiresAt <= now)
        this.#published.delete(id);
    }
  }
}

async function closeServer(server: http.Server): Promise<void> {
  await new Promise<void>(resolve => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
