// A machine in a process of its own, so that a test can kill it mid-upload:
// opens a BundleCache with the options in argv[2] (JSON), warms the URLs in
// argv[3] (JSON), prints their outcomes as one JSON line, and then waits,
// without closing, until stdin ends (or it is killed).
import { BundleCache, type BundleCacheOptions } from '../../../../src/index.js';
import { nextStdinLine, say } from '../../../helpers/stdin.js';

const options = JSON.parse(process.argv[2]!) as BundleCacheOptions;
const urls = JSON.parse(process.argv[3]!) as string[];
const cache = await BundleCache.open(options);
const outcomes = [];
for (const url of urls)
  outcomes.push((await cache.warm(url)).outcome);
say({ outcomes });
await nextStdinLine().catch(() => {});
await cache.close();
