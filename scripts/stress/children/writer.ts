// One of the many writers of promise 1. Opens the cache in refresh mode, so
// that every warm() fetches and stores again, waits for "go", then at once
// writes one URL `oneKey` times and `spread` times over `keys` other URLs,
// and prints what happened.
import { openStoringCache } from '../storingCache.js';
import { fetchRequest } from './fetchRequest.js';
import { nextStdinLine, say } from '../../../tests/helpers/stdin.js';
import { isFailure } from '../outcome.js';

const [dir, origin, oneKey, spread, keys, seed] = process.argv.slice(2).map((arg, i) => i < 2 ? arg : Number(arg)) as [string, string, number, number, number, number];
const cache = await openStoringCache(dir);
const problems: string[] = [];
cache.on('problem', error => isFailure(error) && problems.push(`${error.code}: ${error.message}`));
const request = fetchRequest();
const outcomes: Record<string, number> = {};
const written = new Set<string>();

async function writeAll(count: number, pathOf: (i: number) => string): Promise<void> {
  for (let i = 0; i < count; i++) {
    const result = await cache.warm(`${origin}${pathOf(i)}`, { request });
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    if (result.outcome === 'stored')
      written.add(pathOf(i));
  }
}

say('ready');
await nextStdinLine();
const started = Date.now();
await Promise.all([
  writeAll(oneKey, () => '/one/bundle.js'),
  writeAll(spread, i => `/spread/${(seed * 7 + i * 13) % keys}/bundle.js`),
]);
await cache.close();
say({ outcomes, written: [...written], problems, ms: Date.now() - started });
