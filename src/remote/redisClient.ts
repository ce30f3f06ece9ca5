import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';
import { bodyTimeoutMs, raceSignal } from './deadline.js';
import { asRemoteError, remoteUnavailable, writeRefused } from './storeErrors.js';

/** The largest value written to Redis: a 50 MB value would block the server (and its other clients) for too long. */
export const REDIS_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * ioredis set up so that opening never fails or hangs while Redis is down:
 * no connection until first use, no offline queue (a command while
 * disconnected fails at once instead of waiting), at most one retry of a
 * command cut by a disconnect, and a few quick reconnects after a drop before
 * giving up; after that the tier's circuit breaker decides when to try
 * again, so a dead host is not hammered and no reconnect timer keeps the
 * process alive. No ready check: it sends INFO, which a restricted ACL user
 * (a read-only fork CI user) may not run.
 */
function redisOptions(timeoutMs: number, retry: (times: number) => number | null): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 1,
    connectTimeout: timeoutMs,
    // A server that stops answering (no byte back while a command waits, longer than one chunk
    // may take) gets its socket dropped, so a hung connection is replaced instead of kept; each
    // operation also has its own deadline. Not commandTimeout: its clock starts when a command is
    // queued, so the last chunk of a pipelined 50 MB body would time out on a slow link.
    socketTimeout: bodyTimeoutMs(timeoutMs, REDIS_CHUNK_BYTES),
    retryStrategy: retry,
    disableClientInfo: true,
    autoResubscribe: false,
  };
}

/**
 * ioredis, loaded by the first client: most processes that import the cache
 * (every test worker, every CLI command) never open a Redis remote, and
 * loading it cost each of them about 80 ms.
 */
let redisClass: typeof Redis | undefined;
function loadRedis(): typeof Redis {
  return redisClass ??= (createRequire(import.meta.url)('ioredis') as typeof import('ioredis')).Redis;
}

/** One ioredis connection, connected on demand, whose failures become `BundleCacheError`s. */
export class RedisClient {
  readonly redis: Redis;
  readonly location: string;
  #lastError: Error | undefined;
  /** While `connect()` tries ahead of the first operation: a failure ends there, no reconnects. */
  #connectingAhead = false;

  constructor(url: string, location: string, timeoutMs: number) {
    this.location = location;
    const RedisClass = loadRedis();
    this.redis = new RedisClass(url, redisOptions(timeoutMs, times => (this.#connectingAhead || times > 3 ? null : times * 100)));
    // Without a listener, ioredis prints every connection error as "Unhandled error event".
    this.redis.on('error', (error: Error) => {
      this.#lastError = error;
    });
    this.redis.on('ready', () => {
      this.#lastError = undefined;
    });
  }

  /** Runs `command` once connected; maps every failure (including the signal's deadline) to a remote error. */
  async run<T>(operation: string, write: boolean, signal: AbortSignal, command: (redis: Redis) => Promise<T>): Promise<T> {
    try {
      await this.#ready(signal);
      return await raceSignal(command(this.redis), signal);
    } catch (error) {
      throw this.#asError(operation, write, error);
    }
  }

  /** Connects now. A connection refused ends the client there (not reconnecting): the next operation connects afresh. */
  async connect(signal: AbortSignal): Promise<void> {
    this.#connectingAhead = true;
    try {
      await this.#ready(signal);
    } catch (error) {
      throw this.#asError('connect', false, error);
    } finally {
      this.#connectingAhead = false;
    }
  }

  async close(): Promise<void> {
    if (this.redis.status === 'ready')
      await raceSignal(this.redis.quit(), AbortSignal.timeout(1000)).catch(() => {});
    this.redis.disconnect();
  }

  async #ready(signal: AbortSignal): Promise<void> {
    const redis = this.redis;
    if (redis.status === 'ready')
      return;
    if (redis.status === 'wait' || redis.status === 'end') {
      await raceSignal(redis.connect(), signal);
      return;
    }
    // connecting, connect, reconnecting, close: ioredis is on it; wait for the outcome.
    let settle: { ready: () => void; end: () => void } | undefined;
    const outcome = new Promise<void>((resolve, reject) => {
      settle = { ready: () => resolve(), end: () => reject(this.#lastError ?? new Error('connection closed')) };
      redis.once('ready', settle.ready);
      redis.once('end', settle.end);
    });
    try {
      await raceSignal(outcome, signal);
    } finally {
      redis.off('ready', settle!.ready);
      redis.off('end', settle!.end);
    }
  }

  #asError(operation: string, write: boolean, failure: unknown) {
    // ioredis rejects a failed connect with "Connection is closed."; the 'error' event had the reason.
    const error = failure instanceof Error && failure.message === 'Connection is closed.' && this.#lastError ? this.#lastError : failure;
    const message = error instanceof Error ? error.message : String(error);
    const prefix = /^([A-Z]+)\b/.exec(message)?.[1];
    if (write && prefix === 'OOM')
      return writeRefused(this.location, operation, `Redis is full (${message})`, 'set maxmemory-policy allkeys-lru on this Redis (a managed service: its parameter group), or raise maxmemory', { reply: message }, error);
    if (write && prefix === 'NOPERM')
      return writeRefused(this.location, operation, `this Redis user may not write (${message})`, 'give this machine readOnly: true if it should only read; otherwise grant its user the writer ACL (~<prefix>* +get +set +exists +unlink +strlen +pttl +pexpire +eval +evalsha +ping +scan)', { reply: message }, error);
    if (write && prefix === 'READONLY')
      return writeRefused(this.location, operation, `this Redis is a read-only replica (${message})`, 'point remote at the primary, or give this machine readOnly: true', { reply: message }, error);
    if (prefix === 'NOAUTH' || prefix === 'WRONGPASS')
      return remoteUnavailable(this.location, operation, message, { reply: message, fix: 'put the right user and password in the URL: redis://user:password@host:port' }, error);
    if (prefix === 'NOPERM')
      return remoteUnavailable(this.location, operation, message, { reply: message, fix: 'grant this Redis user the reader ACL (~<prefix>* +get +exists +ping +scan)' }, error);
    return asRemoteError(this.location, operation, error);
  }
}
