import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { test as base, expect } from '@playwright/test';
import type { BundleCacheError } from '../../../src/errors.js';
import { FORMAT_VERSION, type CachedResponse, type EntryMeta } from '../../../src/core/meta.js';
import { resolveRemote } from '../../../src/options/remoteOption.js';
import { openRemoteStore } from '../../../src/remote/openStore.js';
import { RemoteAdmin } from '../../../src/remote/remoteAdmin.js';
import { RemoteTier, type RemoteTierSettings } from '../../../src/remote/remoteTier.js';
import type { RemoteStore } from '../../../src/remote/store.js';
import type { RemoteOption } from '../../../src/types.js';
import { NginxServer, type NginxServerOptions } from '../../helpers/nginxServer.js';
import { RedisServer, type RedisServerOptions } from '../../helpers/redisServer.js';

export { expect };

export const MB = 1024 * 1024;

/** A 200 entry for `url` with `body`, fresh for `maxAgeMs` from `now`. */
export function entry(url: string, body: Buffer, options: { now?: number; maxAgeMs?: number; status?: number; headers?: Record<string, string> } = {}): CachedResponse {
  const now = options.now ?? Date.now();
  const meta: EntryMeta = {
    formatVersion: FORMAT_VERSION,
    key: `GET ${url}`,
    url,
    method: 'GET',
    resource: url,
    version: null,
    status: options.status ?? 200,
    headers: options.headers ?? { 'content-type': 'application/javascript' },
    size: body.length,
    sha256: createHash('sha256').update(body).digest('hex'),
    storedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + (options.maxAgeMs ?? 3_600_000)).toISOString(),
    rule: 'test',
  };
  return { meta, body };
}

export function bytes(size: number): Buffer {
  return randomBytes(size);
}

/** A fake clock: `sleep` advances it instead of waiting. */
export class FakeClock {
  ms = Date.parse('2030-01-01T00:00:00Z');
  readonly slept: number[] = [];
  now = () => this.ms;
  sleep = async (ms: number) => {
    this.slept.push(ms);
    this.ms += ms;
  };
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface OpenedTier {
  readonly tier: RemoteTier;
  readonly problems: BundleCacheError[];
}

interface Fixtures {
  redis: RedisServer;
  nginx: NginxServer;
  startRedis: (options?: RedisServerOptions) => Promise<RedisServer>;
  startNginx: (options?: NginxServerOptions) => Promise<NginxServer>;
  /** A tier for `remote` (option syntax, resolved without the environment), closed after the test. */
  openTier: (remote: RemoteOption, settings?: Partial<RemoteTierSettings>) => OpenedTier;
  /** The operator's view of `remote` (status, verify), closed after the test. */
  openAdmin: (remote: RemoteOption) => RemoteAdmin;
  /** A bare store for `remote`, closed after the test. */
  openStore: (remote: RemoteOption) => RemoteStore;
}

export const test = base.extend<Fixtures>({
  startRedis: async ({}, use) => {
    const servers: RedisServer[] = [];
    await use(async options => {
      const server = await RedisServer.start(options);
      servers.push(server);
      return server;
    });
    await Promise.all(servers.map(server => server.stop()));
  },
  startNginx: async ({}, use) => {
    const servers: NginxServer[] = [];
    await use(async options => {
      const server = await NginxServer.start(options);
      servers.push(server);
      return server;
    });
    await Promise.all(servers.map(server => server.stop()));
  },
  redis: async ({ startRedis }, use) => use(await startRedis()),
  nginx: async ({ startNginx }, use) => use(await startNginx({ clientMaxBodySize: '100m' })),
  openTier: async ({}, use) => {
    const tiers: RemoteTier[] = [];
    await use((remote, settings = {}) => {
      const problems: BundleCacheError[] = [];
      const tier = RemoteTier.open(resolveRemote(withTestTimeout(remote), {})!, { report: error => problems.push(error), ...settings });
      tiers.push(tier);
      return { tier, problems };
    });
    await Promise.all(tiers.map(tier => tier.close(0)));
  },
  openAdmin: async ({}, use) => {
    const admins: RemoteAdmin[] = [];
    await use(remote => {
      const admin = RemoteAdmin.open(resolveRemote(withTestTimeout(remote), {})!);
      admins.push(admin);
      return admin;
    });
    await Promise.all(admins.map(admin => admin.close()));
  },
  openStore: async ({}, use) => {
    const stores: RemoteStore[] = [];
    await use(remote => {
      const store = openRemoteStore(resolveRemote(withTestTimeout(remote), {})!);
      stores.push(store);
      return store;
    });
    await Promise.all(stores.map(store => store.close()));
  },
});

/**
 * Tests that are not about deadlines get 10 s instead of the 2 s default, so
 * a loaded CI machine cannot turn a slow 50 MB transfer into a miss.
 */
function withTestTimeout(remote: RemoteOption): RemoteOption {
  if (typeof remote === 'string')
    return { url: remote, timeout: '10s' };
  return remote && { timeout: '10s', ...remote };
}

/** The codes of the problems reported, in order. */

/** A server that accepts connections and never answers a byte. */
export async function silentServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const socket of sockets)
        socket.destroy();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

export { codes } from '../../helpers/codes.js';
