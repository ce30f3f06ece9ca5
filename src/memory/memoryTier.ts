import type { CachedResponse } from '../core/meta.js';
import { expiresAtMs } from '../core/meta.js';
import type { CacheRequest } from '../core/request.js';
import type { Tier } from '../core/tier.js';
import { log } from '../log.js';

interface Slot {
  readonly response: CachedResponse;
  readonly expiresAt: number;
}

/**
 * The memory tier (L1): a least-recently-used map with a byte budget and a
 * time to live. An entry bigger than the whole budget is not kept, and no
 * entry outlives its disk freshness.
 */
export class MemoryTier implements Tier {
  readonly name = 'memory';
  readonly role = 'mirror' as const;
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  // A Map iterates in insertion order: re-inserting on access keeps the least recently used first.
  readonly #slots = new Map<string, Slot>();
  #bytes = 0;

  constructor(options: { maxBytes: number; ttlMs: number; now: () => number }) {
    this.#maxBytes = options.maxBytes;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now;
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#slots.size;
  }

  /** The entry of `key` (now the most recently used), unless it expired. */
  take(key: string): CachedResponse | undefined {
    const slot = this.#slots.get(key);
    if (!slot)
      return undefined;
    if (slot.expiresAt <= this.#now()) {
      this.delete(key);
      return undefined;
    }
    this.#slots.delete(key);
    this.#slots.set(key, slot);
    return slot.response;
  }

  get(request: CacheRequest): Promise<CachedResponse | undefined> {
    return Promise.resolve(this.take(request.key));
  }

  put(response: CachedResponse): Promise<boolean> {
    this.set(response.meta.key, response).forEach(key => log.debug(`evict memory ${key}`));
    return Promise.resolve(this.#slots.has(response.meta.key));
  }

  /** Returns the keys evicted to make room (for logging). */
  set(key: string, response: CachedResponse): string[] {
    this.delete(key);
    const size = response.body.length;
    const expiresAt = Math.min(this.#now() + this.#ttlMs, expiresAtMs(response.meta));
    if (size > this.#maxBytes || expiresAt <= this.#now())
      return [];
    const evicted: string[] = [];
    for (const [oldKey] of this.#slots) {
      if (this.#bytes + size <= this.#maxBytes)
        break;
      this.delete(oldKey);
      evicted.push(oldKey);
    }
    this.#slots.set(key, { response, expiresAt });
    this.#bytes += size;
    return evicted;
  }

  delete(key: string): boolean {
    const slot = this.#slots.get(key);
    if (!slot)
      return false;
    this.#slots.delete(key);
    this.#bytes -= slot.response.body.length;
    return true;
  }

  clear(): void {
    this.#slots.clear();
    this.#bytes = 0;
  }
}
