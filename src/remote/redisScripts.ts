import type { Redis } from 'ioredis';

/**
 * The three Lua scripts the Redis store runs (EVALSHA, falling back to EVAL
 * once per connection): each reads and writes atomically what would
 * otherwise race. Managed Redis services allow scripts; they forbid admin
 * commands, which none of these use.
 */

/** KEYS: chunk keys; ARGV: ttl ms, then each chunk's expected length. 1 when every chunk is there with its length (and now lives at least ttl more). */
const KEEP_CHUNKS = `
for i, key in ipairs(KEYS) do
  if redis.call('STRLEN', key) ~= tonumber(ARGV[i + 1]) then return 0 end
end
local ttl = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local left = redis.call('PTTL', key)
  if left >= 0 and left < ttl then redis.call('PEXPIRE', key, ttl) end
end
return 1`;

/** KEYS: lock; ARGV: token, ttl ms. Extends the lock only while it is still ours. */
const RENEW_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** KEYS: lock; ARGV: token. Deletes the lock only while it is still ours, never another holder's. */
const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('UNLINK', KEYS[1]) end
return 0`;

export interface RedisScripts {
  keepChunks(keys: readonly string[], ttlMs: number, lengths: readonly number[]): Promise<number>;
  renewLock(key: string, token: string, ttlMs: number): Promise<number>;
  releaseLock(key: string, token: string): Promise<number>;
}

type ScriptCommand = (...args: Array<string | number>) => Promise<number>;

export function defineScripts(redis: Redis): RedisScripts {
  redis.defineCommand('bundleCacheKeepChunks', { lua: KEEP_CHUNKS });
  redis.defineCommand('bundleCacheRenewLock', { lua: RENEW_LOCK, numberOfKeys: 1 });
  redis.defineCommand('bundleCacheReleaseLock', { lua: RELEASE_LOCK, numberOfKeys: 1 });
  const command = (name: string) => (redis as unknown as Record<string, ScriptCommand>)[name]!.bind(redis);
  const keepChunks = command('bundleCacheKeepChunks');
  const renewLock = command('bundleCacheRenewLock');
  const releaseLock = command('bundleCacheReleaseLock');
  return {
    keepChunks: (keys, ttlMs, lengths) => keepChunks(keys.length, ...keys, ttlMs, ...lengths),
    renewLock: (key, token, ttlMs) => renewLock(key, token, ttlMs),
    releaseLock: (key, token) => releaseLock(key, token),
  };
}
