import type { Redis } from 'ioredis';
import type { RedisClient } from './redisClient.js';

interface Reader {
  readonly client: RedisClient;
  /** Reads in flight on this connection. */
  busy: number;
}

/**
 * The connections reads go through. Redis answers each connection in
 * order, so on a single one a record, or a 100 KB bundle, waits behind the
 * megabytes of another body requested just before it (a page asks for its
 * bundles at once), and a body's chunks come one after the other. A read
 * takes the first idle connection, else the least busy. The first
 * connection is the store's own (its writes and locks), closed by the
 * store; the others connect ahead with it, or on their first read.
 */
export class RedisReaders {
  readonly #readers: Reader[];

  constructor(first: RedisClient, open: () => RedisClient, count: number) {
    this.#readers = [first, ...Array.from({ length: count - 1 }, open)].map(client => ({ client, busy: 0 }));
  }

  async run<T>(operation: string, signal: AbortSignal, command: (redis: Redis) => Promise<T>): Promise<T> {
    const reader = this.#readers.find(candidate => candidate.busy === 0)
      ?? this.#readers.reduce((least, candidate) => (candidate.busy < least.busy ? candidate : least));
    reader.busy++;
    try {
      return await reader.client.run(operation, false, signal, command);
    } finally {
      reader.busy--;
    }
  }

  /** Connects every connection now (see `RedisClient.connect`). */
  async connect(signal: AbortSignal): Promise<void> {
    await Promise.all(this.#readers.map(reader => reader.client.connect(signal)));
  }

  /** Closes the connections opened here (not the first). */
  async close(): Promise<void> {
    await Promise.all(this.#readers.slice(1).map(reader => reader.client.close()));
  }
}
