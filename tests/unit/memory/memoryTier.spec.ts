import { test, expect } from '@playwright/test';
import { MemoryTier } from '../../../src/memory/memoryTier.js';
import type { CachedResponse } from '../../../src/core/meta.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function response(key: string, size: number, expiresInMs = 3_600_000): CachedResponse {
  return {
    body: Buffer.alloc(size),
    meta: {
      formatVersion: 1, key, url: key, method: 'GET', resource: key, version: null, status: 200, headers: {}, size,
      sha256: '0'.repeat(64), storedAt: new Date(T0).toISOString(), expiresAt: new Date(T0 + expiresInMs).toISOString(), rule: 'r',
    },
  };
}

function tier(maxBytes: number, ttlMs = 60_000) {
  const clock = { now: T0 };
  return { clock, memory: new MemoryTier({ maxBytes, ttlMs, now: () => clock.now }) };
}

test('should evict the least recently used entries to stay within the byte budget', () => {
  const { memory } = tier(100);
  memory.set('a', response('a', 40));
  memory.set('b', response('b', 40));
  memory.take('a');
  expect(memory.set('c', response('c', 40))).toEqual(['b']);
  expect(memory.take('b')).toBeUndefined();
  expect(memory.take('a')).toBeDefined();
  expect(memory.bytes).toBe(80);
});

test('should skip an entry bigger than the whole budget', () => {
  const { memory } = tier(100);
  memory.set('a', response('a', 40));
  expect(memory.set('big', response('big', 101))).toEqual([]);
  expect(memory.take('big')).toBeUndefined();
  expect(memory.take('a')).toBeDefined();
});

test('should expire entries after the ttl', () => {
  const { memory, clock } = tier(100, 60_000);
  memory.set('a', response('a', 10));
  clock.now += 59_999;
  expect(memory.take('a')).toBeDefined();
  clock.now += 1;
  expect(memory.take('a')).toBeUndefined();
  expect(memory.bytes).toBe(0);
});

test('should never keep an entry past its disk freshness', () => {
  const { memory, clock } = tier(100, 3_600_000);
  memory.set('a', response('a', 10, 1000));
  clock.now += 1000;
  expect(memory.take('a')).toBeUndefined();
  memory.set('expired', response('expired', 10, -1));
  expect(memory.size).toBe(0);
});

test('should account bytes when replacing and deleting', () => {
  const { memory } = tier(100);
  memory.set('a', response('a', 30));
  memory.set('a', response('a', 50));
  expect(memory.bytes).toBe(50);
  expect(memory.delete('a')).toBe(true);
  expect(memory.bytes).toBe(0);
  expect(memory.delete('a')).toBe(false);
});

test('should keep nothing with a zero budget', () => {
  const { memory } = tier(0);
  memory.set('a', response('a', 1));
  expect(memory.size).toBe(0);
});
