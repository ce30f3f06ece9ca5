import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { BundleCache, isBundleCacheError } from '../../../src/index.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeFileOps } from '../../../src/disk/fileOps.js';
import { storeFsOver } from '../../../src/disk/storeFs.js';
import { entryPaths } from '../../../src/keys/entryPaths.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { fetchRequest } from '../children/fetchRequest.js';
import { walk } from '../debris.js';
import { startOrigin, type Origin } from '../origin.js';
import { Tally, type Outcome, isFailure } from '../outcome.js';
import { steppedOps } from '../steps.js';

/**
 * Promise 9: under `umask 000` every directory the cache makes is 0700 and
 * every file 0600 (entries, index, CACHEDIR.TAG, the loopback certificate, a
 * held lock); a symbolic link planted at an entry's body or meta.json, at a
 * writer's temp path (at the moment it is opened), at `v1/`, at a host
 * directory or as the cache root is never followed (the victim is unchanged)
 * and is reported as ERR_UNSAFE_PATH, while the caller still gets its bytes.
 */
export async function permissions(options: { rounds: number }): Promise<Outcome> {
  const tally = new Tally(9, 'modes under umask 000; a link planted at body, meta, temp, v1/, host dir, root');
  const origin = await startOrigin({ maxPadding: 1024 });
  const scratch = await makeTempDir('guarantee-links-');
  try {
    for (let round = 0; round < options.rounds; round++) {
      await modesUnderUmask0(tally, origin);
      for (const [where, plant] of Object.entries(PLANTS))
        await plantedLink(tally, origin, scratch, `${where} (round ${round})`, plant);
      await linkedRoot(tally, scratch);
      tally.iterations += Object.keys(PLANTS).length + 2;
    }
  } finally {
    await origin.close();
    await removeDir(scratch);
  }
  return tally.outcome();
}

async function modesUnderUmask0(tally: Tally, origin: Origin): Promise<void> {
  const parent = await makeTempDir('guarantee-modes-');
  // A root the cache creates itself, under umask 000 (mkdtemp's would be 0700 already).
  const dir = path.join(parent, 'cache');
  const previous = process.umask(0);
  try {
    const cache = await BundleCache.open({ dir, rules: ['**/*.js'] });
    await cache.warm(`${origin.url}/m/a.js`, { request: fetchRequest() });
    await cache.warm(`${origin.url}/m/b.js`, { request: fetchRequest() });
    await cache.httpsLaunchArgs();
    const lock = await new LockManager().acquire(path.join(dir, 'cache_versions.json'), 1000);
    const lockMode = (await fsp.lstat(lock.path)).mode & 0o777;
    await lock.release();
    await cache.close();
    tally.check(lockMode === 0o700, () => `a held lock is ${lockMode.toString(8)}`);
    const tree = [{ path: '.', kind: 'dir' as const, mode: (await fsp.lstat(dir)).mode & 0o777 }, ...await walk(dir)];
    for (const entry of tree)
      tally.check(entry.mode === (entry.kind === 'dir' ? 0o700 : 0o600), () => `under umask 000, ${entry.path} is ${entry.mode.toString(8)}`);
    tally.check(tree.some(entry => entry.path.endsWith('.meta.json')) && tree.some(entry => entry.path.endsWith('.pem')), () => 'the umask run stored no entry or no certificate');
  } finally {
    process.umask(previous);
    await removeDir(parent);
  }
}

type Plant = (at: { dir: string; url: string; victim: string }) => Promise<{ fs?: ReturnType<typeof storeFsOver> }>;

const PLANTS: Record<string, Plant> = {
  'a link at the body': async ({ dir, url, victim }) => link(victim, entryPaths(dir, cacheKey('GET', url), url).body),
  'a link at meta.json': async ({ dir, url, victim }) => link(victim, entryPaths(dir, cacheKey('GET', url), url).meta),
  'a link at the temp path, planted as it is opened': async ({ victim }) => ({
    fs: storeFsOver(steppedOps(nodeFileOps, async (step, call) => {
      if (step.op === 'open' && step.role === 'body-temp')
        await fsp.symlink(victim, step.path);
      return call();
    })),
  }),
  'a link at v1/': async ({ dir, victim }) => link(path.dirname(victim), path.join(dir, 'v1'), false),
  'a link at the host directory': async ({ dir, url, victim }) => link(path.dirname(victim), path.dirname(entryPaths(dir, cacheKey('GET', url), url).body), false),
};

async function link(target: string, at: string, makeParent = true): Promise<{}> {
  await fsp.mkdir(path.dirname(at), { recursive: makeParent, mode: 0o700 }).catch(() => {});
  await fsp.symlink(target, at);
  return {};
}

async function plantedLink(tally: Tally, origin: Origin, scratch: string, where: string, plant: Plant): Promise<void> {
  const dir = await makeTempDir('guarantee-links-');
  const victimDir = await fsp.mkdtemp(path.join(scratch, 'victim-'));
  const victim = path.join(victimDir, 'precious.txt');
  await fsp.writeFile(victim, 'precious');
  await fsp.chmod(victimDir, 0o755);
  const url = `${origin.url}/links/main.js`;
  try {
    const { fs } = await plant({ dir, url, victim });
    const cache = await BundleCache.open({ dir, rules: ['**/*.js'] }, fs ? { fs } : {});
    const problems: string[] = [];
    cache.on('problem', error => isFailure(error) && problems.push(error.code));
    const result = await cache.warm(url, { request: fetchRequest() });
    await cache.close();
    tally.check(result.outcome === 'not-stored' && result.bytes > 0, () => `${where}: warm() ended ${result.outcome} with ${result.bytes} bytes`);
    tally.check(problems.includes('ERR_UNSAFE_PATH'), () => `${where}: not reported (problems ${JSON.stringify(problems)})`);
    tally.check(await fsp.readFile(victim, 'utf8') === 'precious', () => `${where}: the victim file changed`);
    const victims = await fsp.readdir(victimDir);
    tally.check(victims.length === 1 && ((await fsp.stat(victimDir)).mode & 0o777) === 0o755, () => `${where}: the victim directory changed: ${victims.join(', ')}`);
  } finally {
    await removeDir(dir);
  }
}

async function linkedRoot(tally: Tally, scratch: string): Promise<void> {
  const victimDir = await fsp.mkdtemp(path.join(scratch, 'victim-root-'));
  const root = path.join(scratch, `root-link-${Date.now()}`);
  await fsp.symlink(victimDir, root);
  const opened = await BundleCache.open({ dir: root }).then(cache => cache.close().then(() => 'opened'), (error: unknown) => error);
  tally.check(isBundleCacheError(opened, 'ERR_UNSAFE_PATH'), () => `a link as the cache root: open() ended ${String(opened)}`);
  tally.check((await fsp.readdir(victimDir)).length === 0, () => 'a link as the cache root: files appeared in its target');
}
