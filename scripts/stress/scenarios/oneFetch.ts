import type { BundleCacheStats } from '../../../src/index.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { startSite, type Site, type SiteReport } from '../../../tests/site/server.js';
import { appProblems } from '../../../tests/helpers/visit.js';
import { finish, startTogether } from '../../../tests/helpers/children.js';
import { Tally, type Outcome } from '../outcome.js';

const BUNDLES = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'];

/**
 * Promise 2: `processes` processes ask for the same 3 cold bundles at the
 * same moment, `rounds` times (a cold cache each round). The origin serves
 * each bundle once per round; one process stores it, the others wait for its
 * lock and read the entry. `via: 'browser'` loads the app in a Chromium per
 * process (tests/helpers/childVisit.ts); `'warm'` asks with `warm()`.
 */
export async function oneFetch(options: { processes: number; rounds: number; via: 'warm' | 'browser' }): Promise<Outcome> {
  const { processes, rounds, via } = options;
  const tally = new Tally(2, `${processes} processes ask for 3 cold bundles at once (${via === 'browser' ? 'a Chromium each' : 'warm()'})`);
  const site = await startSite({ latencyMs: 50 });
  try {
    for (let round = 0; round < rounds; round++) {
      site.resetCounters();
      const dir = await makeTempDir('guarantee-one-fetch-');
      try {
        if (via === 'warm')
          await warmRound(tally, round, dir, processes, BUNDLES.map(path => `${site.origin}${path}${path === '/main.dart.js' ? `?v=${site.version}` : ''}`), path => site.body(path).length);
        else
          await browserRound(tally, round, dir, processes, site);
      } finally {
        await removeDir(dir);
      }
      for (const path of BUNDLES)
        tally.check(site.hits(path) === 1, () => `round ${round}: the origin served ${path} ${site.hits(path)} times`);
      tally.iterations++;
    }
  } finally {
    await site.close();
  }
  return tally.outcome();
}

async function warmRound(tally: Tally, round: number, dir: string, processes: number, urls: string[], sizeOf: (path: string) => number): Promise<void> {
  const children = await startTogether('scripts/stress/children/fetcher.ts', () => [dir, ...urls], processes);
  const reports = await Promise.all(children.map(child => finish<{ outcomes: string[]; bytes: number[]; problems: string[] }>(child)));
  for (const [index, { result, code }] of reports.entries()) {
    tally.check(code === 0 && result !== undefined, () => `round ${round}: process ${index} exited with ${code}`);
    result?.problems.forEach(problem => tally.fail(`round ${round}: process ${index}: ${problem}`));
    result?.bytes.forEach((bytes, i) => tally.check(bytes === sizeOf(new URL(urls[i]!).pathname), () => `round ${round}: process ${index} got ${bytes} bytes of ${urls[i]}`));
  }
  for (const [i, url] of urls.entries()) {
    const stored = reports.filter(({ result }) => result?.outcomes[i] === 'stored').length;
    const read = reports.filter(({ result }) => result?.outcomes[i] === 'fresh').length;
    tally.check(stored === 1 && read === processes - 1, () => `round ${round}: ${url} stored by ${stored} processes, read by ${read}`);
  }
}

async function browserRound(tally: Tally, round: number, dir: string, processes: number, site: Site): Promise<void> {
  // The pages hash what they were served (?hash=1): one fetch must also mean the right bytes in every page.
  const children = await startTogether('tests/helpers/childVisit.ts', () => [dir, site.pageUrl + '?hash=1'], processes);
  const reports = await Promise.all(children.map(child => finish<{ stats: BundleCacheStats; report: SiteReport }>(child)));
  for (const [index, { result, code }] of reports.entries()) {
    tally.check(code === 0 && result !== undefined, () => `round ${round}: process ${index} exited with ${code}`);
    if (result)
      appProblems(result.report, site).forEach(problem => tally.fail(`round ${round}: process ${index}: ${problem}`));
    tally.check(result !== undefined && Object.keys(result.report.hashes).length === BUNDLES.length, () => `round ${round}: process ${index}'s page hashed ${Object.keys(result?.report.hashes ?? {}).length} bundles`);
    tally.check(result?.stats.errors === 0, () => `round ${round}: process ${index} counted ${result?.stats.errors} errors`);
  }
  const misses = reports.reduce((sum, { result }) => sum + (result?.stats.misses ?? 0), 0);
  tally.check(misses === 3, () => `round ${round}: ${misses} misses across processes, expected 3`);
}
