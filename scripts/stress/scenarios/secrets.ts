import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { BundleCache } from '../../../src/index.js';
import { makeTempDir, removeDir } from '../../../tests/helpers/tempDir.js';
import { auditCache } from '../audit.js';
import { walk } from '../debris.js';
import { startOrigin, type Origin } from '../origin.js';
import { Tally, type Outcome } from '../outcome.js';

const REQUEST_CANARIES = {
  authorization: 'Bearer CANARY-AUTHORIZATION',
  cookie: 'session=CANARY-COOKIE',
  'proxy-authorization': 'Basic CANARY-PROXY-AUTHORIZATION',
};
/** Sent by the origin with a cacheable response: only the first three may be stored. */
const RESPONSE_HEADERS = {
  'content-type': 'text/javascript',
  etag: '"v1"',
  'access-control-allow-origin': '*',
  'x-amz-security-token': 'CANARY-RESPONSE-TOKEN',
  'server-timing': 'auth;desc="CANARY-SERVER-TIMING"',
  'x-request-id': 'CANARY-REQUEST-ID',
  'x-debug-user': 'CANARY-DEBUG-USER',
};
const STORABLE = ['content-type', 'etag', 'access-control-allow-origin'];
const CANARIES = ['CANARY-AUTHORIZATION', 'CANARY-COOKIE', 'CANARY-PROXY-AUTHORIZATION', 'CANARY-USER', 'CANARY-PASSWORD', 'CANARY-RESPONSE-TOKEN', 'CANARY-SERVER-TIMING', 'CANARY-REQUEST-ID', 'CANARY-DEBUG-USER', 'CANARY-SET-COOKIE'];
const NEVER_STORED = {
  '/s/no-store.js': { 'cache-control': 'no-store' },
  '/s/private.js': { 'cache-control': 'private, max-age=600' },
  '/s/set-cookie.js': { 'set-cookie': 'session=CANARY-SET-COOKIE; HttpOnly' },
};

/**
 * Promise 8: responses marked `no-store` or `private`, or setting a cookie,
 * create no file; canaries sent as `Authorization`, `Cookie`,
 * `Proxy-Authorization` and as `user:password@` in the URL reach the origin
 * and appear nowhere under the cache dir; stored response headers are the
 * allowlisted ones only, whatever else the origin sent.
 */
export async function secrets(options: { rounds: number }): Promise<Outcome> {
  const tally = new Tally(8, 'no-store, private, Set-Cookie responses; credential canaries; stored-header allowlist');
  const origin = await startOrigin();
  for (const [pathname, headers] of Object.entries(NEVER_STORED))
    origin.set(pathname, { body: Buffer.from(`// ${pathname}\n`), headers });
  origin.set('/s/public.js', { body: Buffer.from('// public\n'), headers: RESPONSE_HEADERS });
  try {
    for (let round = 0; round < options.rounds; round++) {
      await neverStored(tally, origin);
      await noCanaries(tally, origin);
      tally.iterations += Object.keys(NEVER_STORED).length + 1;
    }
  } finally {
    await origin.close();
  }
  return tally.outcome();
}

async function neverStored(tally: Tally, origin: Origin): Promise<void> {
  const dir = await makeTempDir('guarantee-secrets-');
  try {
    const cache = await BundleCache.open({ dir, rules: ['**/*.js'] });
    for (const pathname of Object.keys(NEVER_STORED)) {
      const result = await cache.warm(origin.url + pathname);
      tally.check(result.outcome === 'not-stored', () => `${pathname}: ${result.outcome}`);
    }
    await cache.close();
    const files = (await walk(dir)).filter(entry => entry.kind !== 'dir' && entry.path !== 'CACHEDIR.TAG');
    tally.check(!files.length, () => `files created for responses that must not be stored: ${files.map(file => file.path).join(', ')}`);
  } finally {
    await removeDir(dir);
  }
}

async function noCanaries(tally: Tally, origin: Origin): Promise<void> {
  const dir = await makeTempDir('guarantee-secrets-');
  try {
    const cache = await BundleCache.open({ dir, rules: ['**/*.js'] });
    const seen = origin.requests.length;
    const stored = await cache.warm(`${origin.url}/s/public.js`, { headers: REQUEST_CANARIES });
    const withCredentials = await cache.warm(origin.url.replace('://', '://CANARY-USER:CANARY-PASSWORD@') + '/s/credentials.js');
    await cache.close();
    tally.check(stored.outcome === 'stored' && withCredentials.outcome === 'stored', () => `stored ${stored.outcome}, ${withCredentials.outcome}`);
    // The canaries did reach the origin, so their absence on disk means something.
    const received = JSON.stringify(origin.requests.slice(seen).map(request => request.headers));
    for (const canary of ['CANARY-AUTHORIZATION', 'CANARY-COOKIE', 'CANARY-PROXY-AUTHORIZATION', Buffer.from('CANARY-USER:CANARY-PASSWORD').toString('base64')])
      tally.check(received.includes(canary), () => `the origin never received ${canary}`);
    for (const entry of await walk(dir)) {
      if (entry.kind !== 'file')
        continue;
      const bytes = await fsp.readFile(path.join(dir, entry.path));
      for (const canary of CANARIES)
        tally.check(!bytes.includes(canary) && !entry.path.includes(canary), () => `${canary} found in ${entry.path}`);
    }
    const entry = [...(await auditCache(dir)).entries.values()].find(({ meta }) => meta.url.endsWith('/s/public.js'));
    const kept = Object.keys(entry?.meta.headers ?? {}).sort();
    tally.check(JSON.stringify(kept) === JSON.stringify([...STORABLE].sort()), () => `stored response headers ${JSON.stringify(kept)}, expected exactly ${JSON.stringify(STORABLE)}`);
  } finally {
    await removeDir(dir);
  }
}
