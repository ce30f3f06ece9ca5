import { mkdir, writeFile } from 'node:fs/promises';
import { test, expect } from '@playwright/test';
import { BundleCache, type SessionEvent } from '../../../src/index.js';
import { fingerprintOf, sessionPaths } from '../../../src/sessions/fingerprint.js';
import { encodeRecord } from '../../../src/sessions/sessionRecord.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { payload } from './state.js';

const warm = async () => {};
const HOUR = 3_600_000;

let dir: string;
test.beforeEach(async () => {
  dir = await makeTempDir('bundle-cache-session-surface-');
});
test.afterEach(async () => {
  await removeDir(dir);
});

/** A state stored as a warm-up would have, for contexts made with `userAgent`. */
async function storeState(name: string, storedAt: number, userAgent?: string): Promise<void> {
  const paths = sessionPaths(dir, name, fingerprintOf({ userAgent }));
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  await writeFile(paths.file, encodeRecord({
    name, keyHash: paths.keyHash, generation: 4, failures: [], dropped: null,
    stored: { stateId: '0123456789abcdef', storedAt, expiresAt: storedAt + HOUR, expiryReason: 'ttl', encrypted: false, payload: payload() },
  }, undefined), { mode: 0o600 });
}

test('should hand out a stored state without a browser, to the fingerprint it was stored for only', async () => {
  const now = Date.UTC(2026, 10, 21, 12);
  await storeState('alice', now - 10 * 60_000);
  const cache = await BundleCache.open({ dir, now: () => now });
  const events: SessionEvent[] = [];
  cache.on('session', event => events.push(event));
  try {
    const alice = cache.session('alice', { warm });
    const state = await alice.storageState();
    expect(state).toEqual(payload().state);
    // Concurrent readers, in this process and another instance: all reuse, none warms.
    const other = await BundleCache.open({ dir, now: () => now });
    const states = await Promise.all([...Array(10)].flatMap(() => [alice.storageState(), other.session('alice', { warm }).storageState()]));
    expect(states.every(entry => entry.origins[0]!.localStorage[0]!.value === 'tok-secret-canary')).toBe(true);
    expect(other.stats().sessions).toEqual({ reused: 10, warmed: 0, rejected: 0 });
    await other.close();
    expect(events[0]).toEqual({ type: 'reused', name: 'alice', generation: 4 });
    // Another user agent is another entry: nothing stored there, and no browser to warm one.
    await expect(alice.storageState(undefined, { userAgent: 'Other/1.0' })).rejects.toMatchObject({
      code: 'ERR_OPTIONS', message: expect.stringContaining('Session "alice" has no usable stored state (nothing stored yet) and no browser to warm one with. Fix: pass the browser'),
    });
  } finally {
    await cache.close();
  }
});

test('should not hand out an expired state, on the injected clock', async () => {
  let now = Date.UTC(2026, 10, 21, 12);
  await storeState('alice', now - 59 * 60_000);
  const cache = await BundleCache.open({ dir, now: () => now });
  try {
    const alice = cache.session('alice', { warm });
    await alice.storageState();
    now += 60_000;
    await expect(alice.storageState()).rejects.toMatchObject({ code: 'ERR_OPTIONS', message: expect.stringContaining('(ttl)') });
    // A shorter ttl applies to a state stored before.
    now -= 60_000;
    await expect(cache.session('alice', { warm, ttl: '30m' }).storageState()).rejects.toMatchObject({ code: 'ERR_OPTIONS' });
  } finally {
    await cache.close();
  }
});

test('should use the sessions declared in the options, and say how to declare one that is not', async () => {
  await storeState('bob', Date.now());
  const cache = await BundleCache.open({ dir, sessions: { bob: { warm } } });
  try {
    expect((await cache.session('bob').storageState()).cookies).toHaveLength(1);
    expect(() => cache.session('carol')).toThrow('No session "carol" is declared (declared: bob), and cache.session("carol") got no options. Fix: pass them, cache.session("carol", { warm }), or declare it');
    await expect(cache.session('bob').newContext(null as never, { storageState: { cookies: [], origins: [] } })).rejects.toMatchObject({ code: 'ERR_OPTIONS', details: { option: 'contextOptions.storageState' } });
  } finally {
    await cache.close();
  }
});

test('should refuse every session call after close()', async () => {
  await storeState('alice', Date.now());
  const cache = await BundleCache.open({ dir });
  const alice = cache.session('alice', { warm });
  await cache.close();
  let closed: unknown;
  try {
    cache.session('alice', { warm });
  } catch (error) {
    closed = error;
  }
  expect(closed).toMatchObject({ code: 'ERR_CLOSED' });
  await expect(alice.storageState()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
  await expect(alice.invalidate()).rejects.toMatchObject({ code: 'ERR_CLOSED' });
});

test('should drop the state on invalidate(), for every process on the dir', async () => {
  await storeState('alice', Date.now());
  await storeState('alice', Date.now(), 'Other/1.0');
  const first = await BundleCache.open({ dir });
  const second = await BundleCache.open({ dir });
  try {
    await first.session('alice', { warm }).invalidate();
    for (const userAgent of [undefined, 'Other/1.0'])
      await expect(second.session('alice', { warm }).storageState(undefined, { userAgent })).rejects.toMatchObject({ message: expect.stringContaining('(invalidated: invalidate() was called)') });
  } finally {
    await first.close();
    await second.close();
  }
});
