import type { BundleCacheStats, WarmResult } from '../../../src/index.js';
import { endChildren, spawnTs, type Child } from '../../../tests/helpers/children.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { startSite } from '../../../tests/site/server.js';
import { expectEntryOfOneBuild } from '../../../tests/unit/freshness/entryIntegrity.js';
import { Tally, type Outcome } from '../outcome.js';

const MAIN = '/main.dart.js';

interface Warmed {
  readonly result: WarmResult;
  readonly stats: BundleCacheStats;
}

type Deploy = 'no' | 'before' | 'during';

/**
 * Promise 19: `processes` processes (tests/unit/freshness/warmChild.ts) warm
 * the unversioned main.dart.js of a GitHub Pages-like origin (ETag +
 * Last-Modified, both new at each deploy) at the same instant, `waves` times,
 * each a new BundleCache in mode 'run'; before a wave, during its check, or
 * not at all, a new build is deployed (in turn, so each kind comes often).
 * Each wave: the origin answers main.dart.js once in all (a 200 when cold or
 * when the stored build is not the one deployed at the check, else a 304),
 * one process stored or revalidated and the others read what it wrote, no
 * errors, and the entry on disk is one body with that build's own validators.
 */
export async function revalidationRaces(options: { processes: number; waves: number }): Promise<Outcome> {
  const { processes, waves } = options;
  const tally = new Tally(19, `${processes} processes revalidate one key at once, deploys before and during the check (warm())`);
  let now = Math.floor(Date.now() / 1000) * 1000;
  const site = await startSite({ layout: 'flutter', profile: 'github-pages', latencyMs: 300, clock: () => now });
  const dir = await makeTempDir('guarantee-revalidation-');
  const children: Child[] = Array.from({ length: processes }, () => spawnTs('tests/unit/freshness/warmChild.ts', [dir, 'run']));
  const kinds: Deploy[] = ['no', 'before', 'during'];
  let storedBuild: number | undefined;
  let conditionals = 0;
  try {
    for (const child of children) {
      const line = await child.nextLine();
      if (line !== 'ready')
        throw new Error(`a child said ${JSON.stringify(line)} instead of "ready"`);
    }
    for (let wave = 0; wave < waves; wave++) {
      const deploy = wave === 0 ? 'no' : kinds[wave % kinds.length]!;
      now += 1000;
      if (deploy === 'before')
        site.deploy();
      site.resetCounters();
      const atCheck = site.version;
      for (const child of children)
        child.process.stdin!.write(`warm ${now} ${site.origin}${MAIN}\n`);
      if (deploy === 'during') {
        const deadline = Date.now() + 10_000;
        while (site.hits(MAIN) < 1 && Date.now() < deadline)
          await new Promise(resolve => setTimeout(resolve, 5));
        site.deploy();
      }
      const warmed = await Promise.all(children.map(async child => JSON.parse(await child.nextLine()) as Warmed));
      const label = `wave ${wave} (deploy ${deploy})`;
      const expected = storedBuild === atCheck ? 304 : 200;
      const responses = site.responses(MAIN);
      tally.check(JSON.stringify(responses) === JSON.stringify({ [expected]: 1 }), () => `${label}: the origin answered main.dart.js ${JSON.stringify(responses)}, expected one ${expected}`);
      const workers = warmed.filter(({ result }) => result.outcome !== 'fresh' || result.revalidated);
      tally.check(workers.length === 1, () => `${label}: ${workers.length} processes stored or revalidated, expected 1 (${warmed.map(({ result }) => result.outcome).join(', ')})`);
      const sent = site.requests.filter(request => request.headers['if-none-match'] !== undefined).length;
      tally.check(sent === (storedBuild === undefined ? 0 : 1), () => `${label}: ${sent} conditional requests`);
      conditionals += sent;
      const errors = warmed.reduce((sum, { stats }) => sum + stats.errors, 0);
      tally.check(errors === 0, () => `${label}: ${errors} errors counted`);
      try {
        const onDisk = await expectEntryOfOneBuild(dir, site, MAIN);
        tally.check(onDisk === atCheck, () => `${label}: build ${onDisk} on disk, the origin had build ${atCheck} at the check`);
        storedBuild = onDisk;
      } catch (error) {
        tally.fail(`${label}: ${(error as Error).message.split('\n')[0]}`);
        storedBuild = undefined;
      }
      tally.iterations++;
    }
  } finally {
    await endChildren(children);
    await site.close();
    await removeDir(dir);
  }
  tally.figures['19 conditional requests sent, all waves'] = conditionals;
  return tally.outcome();
}
