import { sha256Hex } from '../../../tests/site/digest.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';
import { auditCache, keyDifference } from '../audit.js';
import { finish, startTogether } from '../../../tests/helpers/children.js';
import { findDebris } from '../debris.js';
import { startOrigin } from '../origin.js';
import { Tally, type Outcome } from '../outcome.js';

interface WriterReport {
  outcomes: Record<string, number>;
  written: string[];
  problems: string[];
  ms: number;
}

/**
 * Promise 1: `processes` processes, at once, each store one URL `oneKey`
 * times and, concurrently, `spread` times over `keys` other URLs (every
 * write a fresh body of random length from the origin). Afterwards every
 * entry reads back whole, with bytes the origin sent for its URL;
 * cache_versions.json lists exactly the keys written; no temp file or lock
 * is left; every process exited 0 and saw no problem.
 */
export async function manyWriters(options: { processes: number; oneKey: number; spread: number; keys: number }): Promise<Outcome> {
  const { processes, oneKey, spread, keys } = options;
  const tally = new Tally(1, `${processes} processes × (${oneKey} writes to one key + ${spread} over ${keys} keys), at once`);
  const origin = await startOrigin();
  const dir = await makeTempDir('guarantee-writers-');
  try {
    const children = await startTogether('scripts/stress/children/writer.ts',
        index => [dir, origin.url, oneKey, spread, keys, index].map(String), processes);
    const reports = await Promise.all(children.map(child => finish<WriterReport>(child)));
    const written = new Set<string>();
    for (const [index, { result, code }] of reports.entries()) {
      tally.check(code === 0 && result !== undefined, () => `process ${index} exited with ${code}`);
      tally.check((result?.outcomes.stored ?? 0) === oneKey + spread, () => `process ${index}: ${JSON.stringify(result?.outcomes)} of ${oneKey + spread} writes`);
      for (const problem of result?.problems ?? [])
        tally.fail(`process ${index}: ${problem}`);
      result?.written.forEach(path => written.add(path));
    }
    tally.iterations = processes * (oneKey + spread);
    tally.figures['writes per second, all processes'] = Math.round(tally.iterations / (Math.max(...reports.map(({ result }) => result?.ms ?? 0)) / 1000));

    const audit = await auditCache(dir);
    audit.broken.forEach(line => tally.fail(`broken entry ${line}`));
    for (const [key, { body, meta }] of audit.entries) {
      const sent = origin.sent(new URL(meta.url).pathname);
      tally.check(sent.has(sha256Hex(body)), () => `${key}: body is not one the origin sent for that URL`);
    }
    const expected = [...written].map(path => cacheKey('GET', origin.url + path));
    const onDisk = keyDifference(expected, audit.entries.keys());
    tally.check(!onDisk, () => `entries on disk: ${onDisk}`);
    if (!audit.index) {
      tally.fail('cache_versions.json is missing or not a valid index');
    } else {
      const listed = keyDifference(expected, Object.keys(audit.index.entries));
      tally.check(!listed, () => `cache_versions.json: ${listed}`);
    }
    const debris = await findDebris(dir);
    tally.check(!debris.length, () => `left behind: ${debris.join(', ')}`);
  } finally {
    await origin.close();
    await removeDir(dir);
  }
  return tally.outcome();
}
