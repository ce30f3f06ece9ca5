import { REDIS_CHUNK_BYTES, RedisClient } from './redisClient.js';
import { RedisReaders } from './redisReaders.js';
import { defineScripts, type RedisScripts } from './redisScripts.js';
import { refuseIfReadOnly, type BodyRef, type FleetLocks, type RemoteStore } from './store.js';

export interface RedisStoreSettings {
  /** `redis://[user:pass@]host:port[/db]` or `rediss://…`, credentials included. */
  readonly url: string;
  /** The URL without its password. */
  readonly location: string;
  readonly readOnly: boolean;
  /** Prepended to every key, e.g. `bundle-cache:`. */
  readonly prefix: string;
  readonly timeoutMs: number;
}

/** Connections a store reads through (see `RedisReaders`), its own included: a page asks for a few bundles at once. */
export const REDIS_READ_CONNECTIONS = 3;

/**
 * Redis layout, under the prefix (the names follow the Bazel HTTP cache's):
 *
 *   ac:<sha256 of key>     the entry record, TTL = what is left of the entry's maxAge
 *   cas:<sha256>:<i>       chunk i of a body, each ≤ 4 MB, TTL a bit longer (the tier's choice)
 *   lock:<sha256 of key>   the fleet single-flight lock (SET NX PX)
 *
 * Only data commands on the hot path (GET, SET, UNLINK, EXISTS, scripts);
 * SCAN only to list records for `verify`.
 */
export class RedisStore implements RemoteStore {
  readonly kind = 'redis';
  readonly location: string;
  readonly readOnly: boolean;
  readonly fleetLocks: FleetLocks;
  readonly #client: RedisClient;
  readonly #readers: RedisReaders;
  readonly #scripts: RedisScripts;
  readonly #prefix: string;

  constructor(settings: RedisStoreSettings) {
    this.location = settings.location;
    this.readOnly = settings.readOnly;
    this.#prefix = settings.prefix;
    this.#client = new RedisClient(settings.url, settings.location, settings.timeoutMs);
    this.#readers = new RedisReaders(this.#client, () => new RedisClient(settings.url, settings.location, settings.timeoutMs), REDIS_READ_CONNECTIONS);
    this.#scripts = defineScripts(this.#client.redis);
    this.fleetLocks = this.#locks();
  }

  bodyLayout(size: number): readonly number[] {
    const chunks: number[] = [];
    for (let offset = 0; offset < size; offset += REDIS_CHUNK_BYTES)
      chunks.push(Math.min(REDIS_CHUNK_BYTES, size - offset));
    return chunks;
  }

  async getRecord(id: string, signal: AbortSignal): Promise<Buffer | undefined> {
    const value = await this.#readers.run('read a record', signal, redis => redis.getBuffer(this.#recordKey(id)));
    return value ?? undefined;
  }

  async putRecord(id: string, record: Buffer, ttlMs: number, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'write a record');
    await this.#client.run('write a record', true, signal, redis => redis.set(this.#recordKey(id), record, 'PX', ttlMs));
  }

  async deleteRecord(id: string, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'delete a record');
    await this.#client.run('delete a record', true, signal, redis => redis.unlink(this.#recordKey(id)));
  }

  async hasBody(body: BodyRef, ttlMs: number, signal: AbortSignal): Promise<boolean> {
    refuseIfReadOnly(this, 'extend a body\'s TTL');
    const lengths = this.#chunksOf(body);
    const found = await this.#client.run('check a body', true, signal, () => this.#scripts.keepChunks(this.#chunkKeys(body.sha256, lengths.length), ttlMs, lengths));
    return found === 1;
  }

  async getBody(body: BodyRef, signal: AbortSignal): Promise<Buffer | undefined> {
    const keys = this.#chunkKeys(body.sha256, this.#chunksOf(body).length);
    if (keys.length === 0)
      return Buffer.alloc(0);
    // One GET per chunk, each on an idle connection (a 7 MB body comes over two at once); Redis serves other clients between them.
    const chunks = await Promise.all(keys.map(key => this.#readers.run('read a body', signal, redis => redis.getBuffer(key))));
    return chunks.some(chunk => chunk === null) ? undefined : Buffer.concat(chunks as Buffer[]);
  }

  async putBody(body: BodyRef, data: Buffer, ttlMs: number, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'write a body');
    const lengths = this.#chunksOf(body);
    const keys = this.#chunkKeys(body.sha256, lengths.length);
    await this.#client.run('write a body', true, signal, async redis => {
      let offset = 0;
      const pipeline = redis.pipeline();
      keys.forEach((key, index) => {
        pipeline.set(key, data.subarray(offset, offset + lengths[index]!), 'PX', ttlMs);
        offset += lengths[index]!;
      });
      for (const [error] of await pipeline.exec() ?? []) {
        if (error)
          throw error;
      }
    });
  }

  async deleteBody(body: BodyRef, signal: AbortSignal): Promise<void> {
    refuseIfReadOnly(this, 'delete a body');
    const keys = this.#chunkKeys(body.sha256, this.#chunksOf(body).length);
    if (keys.length)
      await this.#client.run('delete a body', true, signal, redis => redis.unlink(...keys));
  }

  get listRecordIds(): (signal: AbortSignal) => AsyncIterable<string> {
    return signal => this.#scanRecords(signal);
  }

  async ping(signal: AbortSignal): Promise<void> {
    await this.#client.run('answer PING', false, signal, redis => redis.ping());
  }

  /** Connects the store's connection and its readers' (the first lookups of a new machine read on them). */
  async connect(signal: AbortSignal): Promise<void> {
    await this.#readers.connect(signal);
  }

  async close(): Promise<void> {
    await this.#readers.close();
    await this.#client.close();
  }

  async *#scanRecords(signal: AbortSignal): AsyncIterable<string> {
    const head = `${this.#prefix}ac:`;
    const match = `${head.replace(/[*?[\]\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await this.#client.run('list records (SCAN)', false, signal, redis => redis.scan(cursor, 'MATCH', match, 'COUNT', 500));
      cursor = next;
      for (const key of keys)
        yield key.slice(head.length);
    } while (cursor !== '0');
  }

  #locks(): FleetLocks {
    const lockKey = (id: string) => `${this.#prefix}lock:${id}`;
    return {
      acquire: async (id, token, ttlMs, signal) => {
        refuseIfReadOnly(this, 'take a fleet lock');
        return await this.#client.run('take a fleet lock', true, signal, redis => redis.set(lockKey(id), token, 'PX', ttlMs, 'NX')) === 'OK';
      },
      renew: async (id, token, ttlMs, signal) => {
        refuseIfReadOnly(this, 'renew a fleet lock');
        return await this.#client.run('renew a fleet lock', true, signal, () => this.#scripts.renewLock(lockKey(id), token, ttlMs)) === 1;
      },
      release: async (id, token, signal) => {
        refuseIfReadOnly(this, 'release a fleet lock');
        return await this.#client.run('release a fleet lock', true, signal, () => this.#scripts.releaseLock(lockKey(id), token)) === 1;
      },
      isHeld: async (id, signal) => await this.#client.run('check a fleet lock', false, signal, redis => redis.exists(lockKey(id))) === 1,
      holder: async (id, signal) => await this.#client.run('read a fleet lock', false, signal, redis => redis.get(lockKey(id))) ?? undefined,
    };
  }

  #chunksOf(body: BodyRef): readonly number[] {
    return body.chunks ?? this.bodyLayout(body.size);
  }

  #recordKey(id: string): string {
    return `${this.#prefix}ac:${id}`;
  }

  #chunkKeys(sha256: string, count: number): string[] {
    return Array.from({ length: count }, (_, index) => `${this.#prefix}cas:${sha256}:${index}`);
  }
}
