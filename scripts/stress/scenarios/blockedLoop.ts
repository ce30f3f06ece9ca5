import { sha256Hex } from '../../../tests/site/digest.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';
import { finish, spawnTs } from '../../../tests/helpers/children.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { auditCache } from '../audit.js';
import { fetchRequest } from '../children/fetchRequest.js';
import { findDebris } from '../debris.js';
import { startOrigin, type Origin } from '../origin.js';
import { Tally, type Outcome, isFailure } from '../outcome.js';
import { openStoringCache } from '../storingCache.js';

/** Where the holder freezes: before its backup, inside its temp file, inside each rename (after its last lock check), between the renames, holding the index lock. */
export const BLOCK_POINTS = [
  'link:body:before:1',
  'write:body-temp:after:1',
  'rename:body-temp:before:1',
  'rename:body-temp:after:1',
  'rename:meta-temp:before:1',
  'rename:index-temp:before:1',
];

/**
 * Promise 6: a process holding a key's lock (or the index lock) blocks its
 * event loop for twice the stale time at one of `BLOCK_POINTS`, `rounds`
 * times each, all points at once. Meanwhile another writer takes the stale
 * lock over and stores the key. The frozen process must not crash (no timer
 * throws), must abandon its write or finish it safely, and the entry must be
 * whole afterwards: the other writer's, never a mix.
 */
export async function blockedLoop(options: { staleMs: number; rounds: number }): Promise<Outcome> {
  const { staleMs, rounds } = options;
  const tally = new Tally(6, `lock holder's event loop blocked for 2 × stale (${staleMs / 1000} s) at ${BLOCK_POINTS.length} points`);
  const origin = await startOrigin({ maxPadding: 3 * 1024 * 1024 });
  const dir = await makeTempDir('guarantee-blocked-');
  try {
    const paths: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const batch = BLOCK_POINTS.map((point, i) => ({ point, path: `/blocked/${round}-${i}/bundle.js` }));
      await Promise.all(batch.map(({ point, path }) => blockOnce(tally, { dir, origin, staleMs, point, path })));
      paths.push(...batch.map(({ path }) => path));
      tally.iterations += BLOCK_POINTS.length;
    }
    // A holder that lost its lock leaves the body it had linked as its backup (it cannot tell it from its
    // successor's); the next writer of the key removes it.
    const debris = (await findDebris(dir)).filter(file => !file.endsWith('.body.prev'));
    tally.check(!debris.length, () => `left behind: ${debris.join(', ')}`);
    const next = await openStoringCache(dir);
    for (const path of paths)
      await next.warm(origin.url + path, { request: fetchRequest() });
    await next.close();
    const after = await findDebris(dir);
    tally.check(!after.length, () => `left after the next writes: ${after.join(', ')}`);
  } finally {
    await origin.close();
    await removeDir(dir);
  }
  return tally.outcome();
}

async function blockOnce(tally: Tally, at: { dir: string; origin: Origin; staleMs: number; point: string; path: string }): Promise<void> {
  const { dir, origin, staleMs, point, path } = at;
  const url = origin.url + path;
  const child = spawnTs('scripts/stress/children/blockedWriter.ts', [dir, url, point, String(2 * staleMs), String(staleMs)]);
  const first = await child.nextLine().catch(() => 'exited');
  if (!first.startsWith('blocking')) {
    tally.fail(`${point}: the holder never got there (${first})`);
    return;
  }
  // The other writer: waits until the frozen holder's lock is stale, takes it over, stores.
  const other = await openStoringCache(dir, { locks: { staleMs } });
  const problems: string[] = [];
  other.on('problem', error => isFailure(error) && problems.push(`${error.code}: ${error.message}`));
  const stored = await other.warm(url, { request: fetchRequest() });
  await other.close();
  tally.check(stored.outcome === 'stored', () => `${point}: the other writer's store ended ${stored.outcome} ${problems.join('; ')}`);
  const { result, code } = await finish<{ outcome: string; problems: string[] }>(child);
  tally.check(code === 0 && result !== undefined, () => `${point}: the frozen holder exited with ${code}`);
  tally.check(result?.outcome === 'stored' || result?.outcome === 'not-stored', () => `${point}: the frozen holder's warm() ended ${result?.outcome}`);
  for (const problem of result?.problems ?? [])
    tally.check(problem === 'ERR_LOCK_COMPROMISED', () => `${point}: the frozen holder reported ${problem}`);

  const entry = (await auditCache(dir)).entries.get(cacheKey('GET', url));
  const sent = [...origin.sent(path)];
  const sha = entry && sha256Hex(entry.body);
  tally.check(entry !== undefined, () => `${point}: the entry is not whole afterwards`);
  tally.check(sha === sent[sent.length - 1], () => `${point}: the entry is not the other writer's (${sent.indexOf(sha ?? '')} of ${sent.length} bodies sent)`);
}
