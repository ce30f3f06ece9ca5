import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { EntryStore } from '../../../src/disk/entryStore.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { prepareRoot } from '../../../src/disk/root.js';
import { VersionsIndex } from '../../../src/disk/versionsIndex.js';
import type { EntryPaths } from '../../../src/keys/entryPaths.js';
import { cacheKey, normalizeUrl } from '../../../src/keys/normalizeUrl.js';
import { spawnTs, type Child } from '../../../tests/helpers/children.js';
import { storeEntry } from '../../../tests/helpers/storeEntry.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { makeResponse } from '../../../tests/unit/disk/storeFixtures.js';
import { CRASH_URL, crashBody, generationOf } from '../crashBodies.js';
import { ageLocks, findDebris } from '../debris.js';
import { Tally, type Outcome } from '../outcome.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');

/** Where a writer is killed besides at random moments: every step of one write, the gap between the two renames included. */
export const KILL_POINTS = [
  'open:body-temp:before:1',
  'write:body-temp:after:3',
  'write:body-temp:after:25',
  'sync:body-temp:after:1',
  'rename:body-temp:before:1',
  'rename:body-temp:after:1',
  'write:meta-temp:after:1',
  'rename:meta-temp:before:1',
  'rename:meta-temp:after:1',
  'link:body:after:1',
  'write:index-temp:after:1',
  'rename:index-temp:before:1',
];

export interface CrashOptions {
  readonly iterations: number;
  /** The writers' and the next writer's stale time. */
  readonly staleMs: number;
  /** Iterations whose writer is killed holding the key's lock, which the next writer then waits for for real (the others age it). */
  readonly realWaits: ReadonlySet<number>;
}

/**
 * Promise 3: a child writing ≥ 32 MB bodies in 1 MiB chunks is SIGKILLed
 * at each of `KILL_POINTS` and at random moments (`killPointOf`). After each
 * kill a read returns the last committed generation, one being written, or a
 * miss, never an error or wrong bytes; the dead writer's lock gives way
 * once stale, within `POLL_ALLOWANCE_MS` after `staleMs` (measured where
 * `realWaits` says, aged otherwise, which is what waiting does). At the end `bundle-cache clean` leaves no debris.
 */
export async function crashSafety(options: CrashOptions): Promise<Outcome> {
  const { iterations, staleMs, realWaits } = options;
  const tally = new Tally(3, `SIGKILL a writer of ≥ 32 MB bodies mid-write (stale ${staleMs / 1000} s)`);
  const dir = await makeTempDir('guarantee-crash-');
  // A cache root as BundleCache.open() leaves it (and something for the debris oracle to see from the first kill on).
  await prepareRoot(dir, nodeStoreFs);
  const key = cacheKey('GET', CRASH_URL);
  const url = normalizeUrl(CRASH_URL);
  const store = new EntryStore(dir, nodeStoreFs);
  const paths = store.paths(key, url);
  let committed = -1;
  let longestWait = 0;
  let mostDebris = 0;
  try {
    for (let i = 0; i < iterations; i++) {
      // Mid-body, the key's lock is surely held: where the next writer waits for real, and the last kill,
      // so that `clean` has a temp file and a lock to remove at the end.
      const point = realWaits.has(i) || i === iterations - 1 ? 'write:body-temp:after:3' : killPointOf(i);
      const child = spawnTs('scripts/stress/children/crashWriter.ts', [dir, String(staleMs), String(i * 1000), point]);
      const seen = await runUntilKilled(child, point, tally, i);
      committed = Math.max(committed, seen.committed);
      const where = `iteration ${i} (killed ${point === 'none' ? `at random, ${seen.delayMs} ms into a write` : `at ${point}`})`;
      try {
        const read = await store.read(key, url);
        if (read.kind === 'found') {
          const generation = generationOf(read.response.body);
          tally.check(generation !== undefined && read.response.body.equals(crashBody(generation)), () => `${where}: read returned bytes of no generation`);
          tally.check(generation !== undefined && generation >= committed && generation <= seen.started, () => `${where}: read returned generation ${generation}, last committed ${committed}`);
        } else {
          tally.check(read.kind === 'corrupt' || committed < 0, () => `${where}: the entry vanished after generation ${committed} was committed`);
          // A kill may only land between the two renames (a whole new body beside the old meta.json, or none
          // yet): the body file itself is always some generation, whole.
          if (read.kind === 'corrupt') {
            const body = await fsp.readFile(paths.body).catch(() => undefined);
            const generation = body && generationOf(body);
            tally.check(body !== undefined && generation !== undefined && body.equals(crashBody(generation)) && generation <= seen.started,
                () => `${where}: a corrupt read over a body file that is ${body ? `not a whole generation (${body.length} bytes)` : 'missing'}`);
          }
        }
      } catch (error) {
        tally.fail(`${where}: read threw ${(error as Error).message}`);
      }
      mostDebris = Math.max(mostDebris, (await findDebris(dir)).filter(file => !file.endsWith('.lock')).length);
      if (realWaits.has(i))
        longestWait = Math.max(longestWait, await waitForDeadLock(tally, where, paths, staleMs));
      else
        await ageLocks(dir, 2 * staleMs);
      tally.iterations++;
    }
    tally.figures['longest wait for a dead writer\'s lock (ms)'] = longestWait;
    tally.figures['most debris after a kill (files)'] = mostDebris;
    await finalChecks(tally, dir, store, key, url);
  } finally {
    await removeDir(dir);
  }
  return tally.outcome();
}

/**
 * Where iteration `i` kills its writer ('none': at a random moment). The
 * first 16 iterations reach every one of `KILL_POINTS` (three points, then
 * a random moment); after them, a point and a random moment alternate.
 */
export function killPointOf(i: number): string {
  if (i < 16)
    return i % 4 === 3 ? 'none' : KILL_POINTS[i - Math.floor(i / 4)]!;
  return i % 2 === 0 ? KILL_POINTS[(i / 2) % KILL_POINTS.length]! : 'none';
}

/** How much later than its stale time a dead writer's lock may give way: the waiter's polls (every 50 ms, ±50 %) and a busy machine. */
export const POLL_ALLOWANCE_MS = 1000;

/**
 * The next writer waits for the lock a killed writer held: it must give way
 * once stale (`staleMs` after the dead writer's last refresh, not before),
 * and no later than `POLL_ALLOWANCE_MS` after that. Returns the wait.
 */
async function waitForDeadLock(tally: Tally, where: string, paths: EntryPaths, staleMs: number): Promise<number> {
  const refreshed = await fsp.stat(paths.lock).then(stat => stat.mtimeMs, () => undefined);
  if (refreshed === undefined) {
    tally.fail(`${where}: the killed writer held no lock to wait for`);
    return 0;
  }
  const started = Date.now();
  const lock = await new LockManager({ staleMs }).acquire(paths.base, staleMs + POLL_ALLOWANCE_MS).catch((error: Error) => {
    tally.fail(`${where}: the dead writer's lock blocked the next writer: ${error.message}`);
  });
  const waited = Date.now() - started;
  await lock?.release();
  const stale = Math.max(0, refreshed + staleMs - started);
  tally.check(waited <= stale + POLL_ALLOWANCE_MS, () => `${where}: the lock gave way after ${waited} ms, ${waited - stale} ms after it was stale`);
  // Date.now() and the file system's mtime may round apart by a few ms.
  tally.check(waited >= stale - 20, () => `${where}: the lock gave way after ${waited} ms, before it was stale (${stale} ms)`);
  return waited;
}

/** Reads the child's lines until the kill point (or a random delay into its first write), kills it, returns what it said. */
async function runUntilKilled(child: Child, point: string, tally: Tally, i: number): Promise<{ committed: number; started: number; delayMs: number }> {
  let committed = -1;
  let started = -1;
  let delayMs = 0;
  const killed = new Promise<void>((resolve) => {
    const onLine = (line: string) => {
      if (line.startsWith('start ')) {
        started = Number(line.slice(6));
        if (point === 'none' && started % 1000 === 0) {
          delayMs = Math.floor(Math.random() * 900);
          setTimeout(() => resolve(), delayMs);
        }
      } else if (line.startsWith('committed ')) {
        committed = Number(line.slice(10));
        if (point !== 'none' && committed % 1000 >= 3) {
          tally.fail(`iteration ${i}: the writer never reached ${point}`);
          resolve();
        }
      } else if (line.startsWith('paused ')) {
        resolve();
      }
    };
    const pump = (): void => void child.nextLine().then(line => {
      onLine(line);
      pump();
    }, () => resolve());
    pump();
  });
  await killed;
  child.process.kill('SIGKILL');
  const code = await child.exited;
  tally.check(code === null, () => `iteration ${i}: the writer exited with ${code} before it was killed`);
  return { committed, started, delayMs };
}

/** What the next run finds: debris `clean` removes, an index that reads, a key that stores and reads again. */
async function finalChecks(tally: Tally, dir: string, store: EntryStore, key: string, url: string): Promise<void> {
  await ageLocks(dir, 60_000);
  const left = await findDebris(dir);
  tally.check(left.length > 0, () => 'the last kill left nothing for clean to remove');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/bin.ts'), 'clean', '--dir', dir, '--json'], { cwd: ROOT })
      .catch((error: { stdout?: string; message: string }) => ({ stdout: error.stdout ?? error.message }));
  tally.figures['debris left by the last kill, removed by clean (files)'] = `${left.length}, ${countRemoved(stdout)}`;
  const debris = await findDebris(dir);
  tally.check(!debris.length, () => `left after bundle-cache clean: ${debris.join(', ')}`);
  const locks = new LockManager();
  await new VersionsIndex(dir, nodeStoreFs, locks, Date.now).read().catch((error: Error) => tally.fail(`cache_versions.json could not be read or rebuilt: ${error.message}`));
  await storeEntry({ store, locks }, makeResponse(CRASH_URL, crashBody(999_999), Date.now()), { lockTimeoutMs: 0 })
      .catch((error: Error) => tally.fail(`a write after the crashes failed: ${error.message}`));
  const read = await store.read(key, url);
  tally.check(read.kind === 'found' && generationOf(read.response.body) === 999_999, () => `after the crashes the entry reads as ${read.kind}`);
  await fsp.access(dir);
}

function countRemoved(stdout: string): number | string {
  try {
    return (JSON.parse(stdout) as { removed: unknown[] }).removed.length;
  } catch {
    return `clean said: ${stdout.slice(0, 200)}`;
  }
}
