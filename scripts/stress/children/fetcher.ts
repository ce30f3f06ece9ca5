// One of the processes of promise 2: opens the cache, waits for "go", asks
// for every URL at once (as a page asks for its bundles), prints outcomes.
import { BundleCache } from '../../../src/index.js';
import { fetchRequest } from './fetchRequest.js';
import { nextStdinLine, say } from '../../../tests/helpers/stdin.js';
import { isFailure } from '../outcome.js';

const [dir, ...urls] = process.argv.slice(2) as [string, ...string[]];
const cache = await BundleCache.open({ dir });
const problems: string[] = [];
cache.on('problem', error => isFailure(error) && problems.push(`${error.code}: ${error.message}`));
const request = fetchRequest();
say('ready');
await nextStdinLine();
const results = await Promise.all(urls.map(url => cache.warm(url, { request })));
await cache.close();
say({ outcomes: results.map(result => result.outcome), bytes: results.map(result => result.bytes), problems });
