// The fleet scenario: machines (processes, each with its own cache dir,
// BundleCache and Chromium) sharing one remote, against the throttled origin.
import fs from 'node:fs/promises';
import path from 'node:path';
import { Machine, type Loaded } from '../../tests/browser/remote/machines.js';
import { NginxServer } from '../../tests/helpers/nginxServer.js';
import { RedisServer } from '../../tests/helpers/redisServer.js';
import type { Origins } from './origins.js';

export type Backend = 'Redis' | 'nginx WebDAV';

/** One machine of a cold fleet: what it fetched, from where, and how long its page took. */
export interface FleetMachine {
  readonly readyMs: number;
  /** Bundle bytes this machine got from the origin. */
  readonly bundleBytesFromOrigin: number;
  readonly misses: number;
  readonly remoteHits: number;
}

export interface ColdFleet {
  readonly backend: Backend;
  readonly machines: FleetMachine[];
  /** Body bytes the origin sent while the fleet loaded (pages and bundles). */
  readonly originBytes: number;
  /** Bundles uploaded once the machines closed. */
  readonly uploads: number;
}

/** Page-ready and origin bytes of one way of getting the bundles, one sample per round. */
export interface SourceRow {
  readonly source: string;
  readonly readyMs: number[];
  readonly originBytes: number[];
}

export interface FleetResult {
  readonly machines: number;
  readonly cold: ColdFleet[];
  readonly sources: SourceRow[];
}

interface FleetOptions {
  readonly origins: Origins;
  readonly workDir: string;
  readonly machines: number;
  readonly rounds: number;
  readonly progress: (message: string) => void;
}

export async function runFleet(options: FleetOptions): Promise<FleetResult> {
  const { origins, progress } = options;
  const pageUrl = `${origins.throttled}/`;
  const scratch = (name: string) => fs.mkdtemp(path.join(options.workDir, `${name}-`));
  const redis = await RedisServer.start();
  const nginx = await NginxServer.start({ clientMaxBodySize: '100m' });
  const remotes: Record<Backend, string> = { 'Redis': redis.url, 'nginx WebDAV': nginx.url };
  try {
    const cold: ColdFleet[] = [];
    for (const backend of Object.keys(remotes) as Backend[]) {
      progress(`  cold fleet on ${backend}: ${options.machines} machines at once`);
      cold.push(await coldFleet(backend, remotes[backend], options.machines, pageUrl, origins, scratch));
    }
    // A local disk tier, warmed once, that every "disk hit" machine opens anew.
    const warmDir = await scratch('disk');
    const warmer = await Machine.start({ dir: warmDir, remote: false });
    expectLoaded(await warmer.load(pageUrl), 'warming the disk tier');
    await warmer.close();
    const kinds: Array<{ source: string; start: () => Promise<Machine> }> = [
      { source: 'remote hit, Redis (new machine, empty dir)', start: async () => Machine.start({ dir: await scratch('redis-hit'), remote: redis.url }) },
      { source: 'remote hit, nginx WebDAV (new machine, empty dir)', start: async () => Machine.start({ dir: await scratch('nginx-hit'), remote: nginx.url }) },
      { source: 'local disk hit (new machine, warm dir)', start: () => Machine.start({ dir: warmDir, remote: false }) },
      { source: 'origin (new machine, empty dir, no remote)', start: async () => Machine.start({ dir: await scratch('origin'), remote: false }) },
    ];
    const rows: SourceRow[] = kinds.map(kind => ({ source: kind.source, readyMs: [], originBytes: [] }));
    for (let round = 0; round < options.rounds; round++) {
      progress(`  round ${round + 1}/${options.rounds}`);
      // Started together (a Chromium launch is not page-ready), loaded one at a time, in a rotating order.
      const machines = await Promise.all(kinds.map(kind => kind.start()));
      for (let i = 0; i < kinds.length; i++) {
        const index = (i + round) % kinds.length;
        const before = await origins.bytesSent();
        const loaded = await machines[index]!.load(pageUrl);
        const after = await origins.bytesSent();
        expectLoaded(loaded, kinds[index]!.source);
        rows[index]!.readyMs.push(loaded.readyMs);
        rows[index]!.originBytes.push(after.throttled - before.throttled);
      }
      await Promise.all(machines.map(machine => machine.close()));
    }
    return { machines: options.machines, cold, sources: rows };
  } finally {
    await Promise.all([redis.stop(), nginx.stop()]);
  }
}

async function coldFleet(backend: Backend, remote: string, count: number, pageUrl: string, origins: Origins, scratch: (name: string) => Promise<string>): Promise<ColdFleet> {
  const machines = await Promise.all(Array.from({ length: count }, async () => Machine.start({ dir: await scratch('fleet'), remote })));
  const before = await origins.bytesSent();
  const loads = await Promise.all(machines.map(machine => machine.load(pageUrl)));
  const after = await origins.bytesSent();
  loads.forEach(loaded => expectLoaded(loaded, `cold fleet on ${backend}`));
  const closed = await Promise.all(machines.map(machine => machine.close()));
  return {
    backend,
    machines: loads.map(({ readyMs, stats }) => ({ readyMs, bundleBytesFromOrigin: stats.bytesFromNetwork, misses: stats.misses, remoteHits: stats.remoteHits })),
    originBytes: after.throttled - before.throttled,
    uploads: closed.reduce((sum, { stats }) => sum + stats.uploads, 0),
  };
}

function expectLoaded(loaded: Loaded, what: string): void {
  if (loaded.report.error)
    throw new Error(`${what}: the page failed: ${loaded.report.error}`);
  if (loaded.problems.length)
    throw new Error(`${what}: the cache reported ${loaded.problems.map(problem => `${problem.code}: ${problem.message}`).join('; ')}`);
}
