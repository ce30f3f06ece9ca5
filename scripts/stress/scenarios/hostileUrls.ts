import { sha256Hex } from '../../../tests/site/digest.js';
import path from 'node:path';
import { BundleCache } from '../../../src/index.js';
import { cacheKey } from '../../../src/keys/normalizeUrl.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { auditCache, keyDifference } from '../audit.js';
import { fetchRequest } from '../children/fetchRequest.js';
import { walk } from '../debris.js';
import { startOrigin } from '../origin.js';
import { Tally, type Outcome } from '../outcome.js';

/** Paths (and a query or two) chosen to escape the root, collide, or break file names. */
export const HOSTILE_PATHS = [
  '/../../etc/passwd.js',
  '/..%2f..%2fetc%2fpasswd.js',
  '/%2e%2e/%2e%2e/x.js',
  '/a\\..\\..\\b.js',
  '/a%5c..%5c..%5cwindows%5cwin.ini.js',
  '/a%00b.js',
  '/%0d%0aX-Injected:%20yes.js',
  '/tab%09del%7f.js',
  '/%C0%AE%C0%AE/overlong.js',
  '/%ZZ%.js',
  `/${'x'.repeat(10_000)}.js`,
  `/deep/${'segment/'.repeat(300)}x.js`,
  `/q.js?${'q'.repeat(5_000)}`,
  '/q.js?x=../../../etc/passwd',
  '/A.js',
  '/a.js',
  '/caf%C3%A9.js',
  '/cafe%CC%81.js',
  '/CON',
  '/nul.js',
  '/aux.wasm',
  '/COM1.js',
  '/lpt9.css',
  '/.hidden.js',
  '/.../dots.js',
  '/%F0%9F%98%80.wasm',
];

/**
 * Promise 7: every hostile URL stored through the engine. Every file stays
 * under the root (no link, no `..`), every name is under 255 bytes, and
 * distinct URLs (as the URL parser sees them: `/a/../b` is `/b`) stay
 * distinct entries, each holding what the origin sent for its own URL.
 */
export async function hostileUrls(options: { rounds: number }): Promise<Outcome> {
  const tally = new Tally(7, `${HOSTILE_PATHS.length + 1} hostile URLs stored and read back`);
  const origin = await startOrigin({ maxPadding: 64 });
  try {
    for (let round = 0; round < options.rounds; round++) {
      const dir = await makeTempDir('guarantee-hostile-');
      try {
        const urls = [...HOSTILE_PATHS.map(p => origin.url + p), origin.url.replace('127.0.0.1', 'localhost') + '/A.js'];
        const cache = await BundleCache.open({ dir, rules: [{ match: () => true, name: 'everything' }] });
        for (const url of urls) {
          const result = await cache.warm(url, { request: fetchRequest() }).catch((error: Error) => ({ outcome: `threw ${error.message}` }));
          tally.check(result.outcome === 'stored', () => `${url.slice(0, 80)}: ${result.outcome}`);
          tally.iterations++;
        }
        await cache.close();
        await checkTree(tally, dir);
        const audit = await auditCache(dir);
        audit.broken.forEach(line => tally.fail(`broken entry ${line}`));
        const missing = keyDifference(urls.map(url => cacheKey('GET', url)), audit.entries.keys());
        tally.check(!missing, () => `entries: ${missing}`);
        // What the origin saw for each key: the path as the URL parser serialised it, before our normalisation.
        const requested = new Map(urls.map(url => [cacheKey('GET', url), new URL(url).pathname + new URL(url).search]));
        for (const [key, { body }] of audit.entries) {
          const sent = origin.sent(requested.get(key) ?? '');
          tally.check(sent.has(sha256Hex(body)), () => `${key.slice(0, 80)}: holds bytes sent for another URL`);
        }
      } finally {
        await removeDir(dir);
      }
    }
  } finally {
    await origin.close();
  }
  return tally.outcome();
}

async function checkTree(tally: Tally, dir: string): Promise<void> {
  let longest = 0;
  for (const entry of await walk(dir)) {
    tally.check(entry.kind === 'file' || entry.kind === 'dir', () => `${entry.path}: a ${entry.kind}`);
    tally.check(path.resolve(dir, entry.path).startsWith(dir + path.sep), () => `${entry.path}: outside the root`);
    for (const name of entry.path.split(path.sep)) {
      longest = Math.max(longest, Buffer.byteLength(name));
      tally.check(Buffer.byteLength(name) < 255 && name !== '..' && name !== '.', () => `${entry.path}: bad name ${name.slice(0, 40)}`);
    }
  }
  tally.figures['longest file name (bytes)'] = longest;
}
