import { HttpStore } from './httpStore.js';
import type { ResolvedRemote } from '../options/remoteOption.js';
import { RedisStore } from './redisStore.js';
import type { RemoteStore } from './store.js';

/** The backend for a resolved remote. Synchronous and never fails: nothing connects until first use. */
export function openRemoteStore(remote: ResolvedRemote): RemoteStore {
  const common = { url: remote.url, location: remote.location, readOnly: remote.readOnly };
  return remote.kind === 'redis'
    ? new RedisStore({ ...common, prefix: remote.prefix, timeoutMs: remote.timeoutMs })
    : new HttpStore(common);
}
