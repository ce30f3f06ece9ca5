// A separate process (run as another user by the tests) that opens a cache on
// argv[2] and prints one JSON line: `{ opened: true }` or the error's code,
// message and details.
import { BundleCache, isBundleCacheError } from '../../src/index.js';

try {
  const cache = await BundleCache.open({ dir: process.argv[2]! });
  await cache.close();
  process.stdout.write(`${JSON.stringify({ opened: true })}\n`);
} catch (error) {
  const { code, message, details } = isBundleCacheError(error) ? error : { code: 'not a BundleCacheError', message: String(error), details: {} };
  process.stdout.write(`${JSON.stringify({ opened: false, code, message, details })}\n`);
}
