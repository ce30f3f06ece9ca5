import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { BundleCache, type BundleCacheError } from '../../../src/index.js';
import { INDEX_FILE } from '../../../src/disk/indexSchema.js';
import { entryPaths } from '../../../src/keys/entryPaths.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import type { Site } from '../../../tests/site/server.js';
import { auditCache, keyDifference } from '../audit.js';
import { Tally, type Outcome, isFailure } from '../outcome.js';

/** Damage done to main.dart.js's entry (or to the index) between two runs. */
export const DAMAGES: Record<string, (files: { body: string; meta: string; index: string }) => Promise<void>> = {
  'a flipped byte in the body': async ({ body }) => {
    const bytes = await fsp.readFile(body);
    bytes[bytes.length >> 1]! ^= 0x20;
    await fsp.writeFile(body, bytes);
  },
  'a truncated body': async ({ body }) => fsp.truncate(body, (await fsp.stat(body)).size >> 1),
  'a deleted meta.json': async ({ meta }) => fsp.rm(meta),
  'a truncated meta.json': async ({ meta }) => fsp.truncate(meta, (await fsp.stat(meta)).size >> 1),
  'meta.json that is not JSON': async ({ meta }) => fsp.writeFile(meta, '{"formatVersion": 1, "key": '),
  'meta.json from format version 2': async ({ meta }) => fsp.writeFile(meta, JSON.stringify({ ...JSON.parse(await fsp.readFile(meta, 'utf8')), formatVersion: 2, compression: 'zstd' })),
  'a deleted cache_versions.json': async ({ index }) => fsp.rm(index),
  'a garbage cache_versions.json': async ({ index }) => fsp.writeFile(index, Buffer.from([0x7b, 0x00, 0xff, 0x22, 0x0a, 0x5d])),
};

/** Loads the app (or warms its bundles) with `cache`; resolves with an error text, or undefined when all went well. */
export type AppLoader = (cache: BundleCache, site: Site) => Promise<string | undefined>;

/**
 * Promise 5: each damage of `DAMAGES`, `rounds` times. The next run loads the
 * app without any exception reaching the page or the caller; a damaged entry
 * is a miss counted once in `errors` (ERR_CORRUPT_ENTRY) and refetched once,
 * healthy afterwards; a damaged index costs nothing and is rebuilt from the
 * sidecars at the next index update (here: a bundle stored in the same run).
 */
export async function corruption(options: { site: Site; load: AppLoader; via: string; rounds: number; damages?: readonly string[] }): Promise<Outcome> {
  const { site, load, via, rounds, damages = Object.keys(DAMAGES) } = options;
  const tally = new Tally(5, `${damages.length} kinds of damage, then a run (${via})`);
  const main = `${site.origin}/main.dart.js?v=${site.version}`;
  const extra = `${site.origin}/extra/chunk.3f9a1c7e.js`;
  site.serve('/extra/chunk.3f9a1c7e.js', `window.__extra = 1;\n`, 'text/javascript');
  for (let round = 0; round < rounds; round++) {
    // One first run per round, copied for each damage: the same entries, a page load saved per case.
    const seeded = await makeTempDir('guarantee-corrupt-seed-');
    const first = await BundleCache.open({ dir: seeded });
    const failed = await load(first, site);
    await first.close();
    tally.check(!failed, () => `round ${round}: the first run failed: ${failed}`);
    for (const damage of damages) {
      const apply = DAMAGES[damage]!;
      const where = `${damage} (round ${round})`;
      const dir = await makeTempDir('guarantee-corrupt-');
      try {
        await fsp.cp(seeded, dir, { recursive: true });
        const paths = entryPaths(dir, cacheKey('GET', main), main);
        await apply({ body: paths.body, meta: paths.meta, index: path.join(dir, INDEX_FILE) });

        site.resetCounters();
        const next = await BundleCache.open({ dir });
        const problems: BundleCacheError[] = [];
        next.on('problem', error => isFailure(error) && problems.push(error));
        let outcome: string | undefined;
        try {
          outcome = await load(next, site) ?? (await next.warm(extra)).outcome;
        } catch (error) {
          outcome = `threw ${(error as Error).message}`;
        } finally {
          await next.close();
        }
        const ofEntry = !damage.includes(INDEX_FILE);
        tally.check(outcome === 'stored', () => `${where}: the next run ended with ${outcome}`);
        tally.check(site.hits('/main.dart.js') === (ofEntry ? 1 : 0) && site.hits('/canvaskit/canvaskit.wasm') === 0,
            () => `${where}: the origin served main.dart.js ${site.hits('/main.dart.js')} times, canvaskit.wasm ${site.hits('/canvaskit/canvaskit.wasm')}`);
        const codes = problems.map(problem => problem.code);
        tally.check(JSON.stringify(codes) === JSON.stringify(ofEntry ? ['ERR_CORRUPT_ENTRY'] : []) && next.stats().errors === codes.length,
            () => `${where}: problems ${JSON.stringify(codes)}, errors ${next.stats().errors}`);

        const audit = await auditCache(dir);
        audit.broken.forEach(line => tally.fail(`${where}: afterwards ${line}`));
        tally.check(audit.entries.get(cacheKey('GET', main))?.body.equals(site.body('/main.dart.js')) === true, () => `${where}: main.dart.js is not healthy afterwards`);
        const listed = audit.index ? keyDifference(audit.entries.keys(), Object.keys(audit.index.entries)) : 'missing or invalid';
        tally.check(!listed, () => `${where}: cache_versions.json afterwards: ${listed}`);
      } finally {
        await removeDir(dir);
      }
      tally.iterations++;
    }
    await removeDir(seeded);
  }
  return tally.outcome();
}

/** Asks for the three bundles with `warm()`, as a page would. */
export const warmApp: AppLoader = async (cache, site) => {
  const urls = [`${site.origin}/main.dart.js?v=${site.version}`, `${site.origin}/canvaskit/canvaskit.js`, `${site.origin}/canvaskit/canvaskit.wasm`];
  const results = await Promise.all(urls.map(url => cache.warm(url)));
  const wrong = results.find((result, i) => result.outcome === 'failed' || result.bytes !== site.body(new URL(urls[i]!).pathname).length);
  return wrong ? `${wrong.url}: ${wrong.outcome} ${wrong.reason ?? ''}` : undefined;
};
