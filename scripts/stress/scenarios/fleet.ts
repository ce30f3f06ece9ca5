import { Machine, sources } from '../../../tests/browser/remote/machines.js';
import { appProblems } from '../../../tests/helpers/visit.js';
import { RedisServer } from '../../../tests/helpers/redisServer.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { startSite, type Site } from '../../../tests/site/server.js';
import { Tally, type Outcome } from '../outcome.js';

const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'];

/**
 * Promises 23 and 24: `machines` cold machines (processes, each with its own
 * cache dir, BundleCache and Chromium; tests/browser/remote/machine.ts) load
 * the app at once on one real Redis, `rounds` times (an empty Redis and new
 * dirs each round): the origin serves each bundle once in all; a machine
 * with an empty dir then asks the origin for no bundle; then one byte of a
 * body chunk on Redis is changed, and the next new machine fetches that
 * bundle from the origin again. Every page hashes what it was served and
 * must match the origin byte for byte.
 */
export async function fleet(options: { machines: number; rounds: number }): Promise<Outcome> {
  const { machines, rounds } = options;
  const tally = new Tally(23, `${machines} cold machines on one Redis, then an empty one, then a tampered chunk (a Chromium each)`);
  const site = await startSite({ latencyMs: 100 });
  const redis = await RedisServer.start();
  const pageUrl = site.pageUrl + '?hash=1';
  const dirs: string[] = [];
  const start = async () => {
    const dir = await makeTempDir('guarantee-fleet-');
    dirs.push(dir);
    return Machine.start({ dir, remote: redis.url });
  };
  try {
    for (let round = 0; round < rounds; round++) {
      await redis.client().flushall();
      // Started together (a Chromium launch each), loaded in three steps.
      const [empty, tampered, ...cold] = await Promise.all(Array.from({ length: machines + 2 }, start));
      site.resetCounters();
      const loads = await Promise.all(cold.map(machine => machine.load(pageUrl)));
      loads.forEach(({ report }, index) => appProblems(report, site).forEach(problem => tally.fail(`round ${round}: cold machine ${index}: ${problem}`)));
      checkEachOnce(tally, site, `round ${round}, cold fleet`, 1);
      const closed = await Promise.all(cold.map(machine => machine.close()));
      const uploads = closed.reduce((sum, { stats }) => sum + stats.uploads, 0);
      tally.check(uploads === BUNDLES.length, () => `round ${round}: ${uploads} uploads, expected ${BUNDLES.length}`);

      site.resetCounters();
      const fromRemote = await empty!.load(pageUrl);
      appProblems(fromRemote.report, site).forEach(problem => tally.fail(`round ${round}: machine with an empty dir: ${problem}`));
      checkEachOnce(tally, site, `round ${round}, machine with an empty dir`, 0);
      const notRemote = Object.entries(sources(fromRemote.served)).filter(([, source]) => source !== 'remote');
      tally.check(notRemote.length === 0, () => `round ${round}: machine with an empty dir got ${JSON.stringify(notRemote)} elsewhere than the remote`);
      await empty!.close();

      const chunks = (await redis.client().keys('*cas:*')).sort();
      const victim = chunks[round % chunks.length]!;
      const at = 1000 + round;
      const chunk = (await redis.client().getrangeBuffer(victim, at, at))[0]!;
      await redis.client().setrange(victim, at, Buffer.from([chunk ^ 0xff]));
      site.resetCounters();
      const afterTamper = await tampered!.load(pageUrl);
      appProblems(afterTamper.report, site).forEach(problem => tally.fail(`round ${round}: machine after a tampered chunk: ${problem}`));
      const refetched = BUNDLES.reduce((sum, path) => sum + site.hits(path), 0);
      tally.check(refetched === 1, () => `round ${round}: after tampering with ${victim}, the origin served ${refetched} bundles, expected 1`);
      const corrupt = afterTamper.problems.filter(problem => problem.code === 'ERR_REMOTE_CORRUPT').length;
      tally.check(corrupt === 1, () => `round ${round}: ${corrupt} ERR_REMOTE_CORRUPT reported, expected 1`);
      await tampered!.close();
      tally.iterations++;
      await Promise.all(dirs.splice(0).map(dir => removeDir(dir)));
    }
  } finally {
    await Promise.all(dirs.map(dir => removeDir(dir)));
    await redis.stop();
    await site.close();
  }
  return tally.outcome();
}

function checkEachOnce(tally: Tally, site: Site, label: string, times: number): void {
  for (const path of BUNDLES)
    tally.check(site.hits(path) === times, () => `${label}: the origin served ${path} ${site.hits(path)} times, expected ${times}`);
}
