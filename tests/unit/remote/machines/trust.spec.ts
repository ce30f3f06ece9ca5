import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RedisServer } from '../../../helpers/redisServer.js';
import type { Site } from '../../../site/server.js';
import {
  BUNDLE_PATHS, SECRET, closeAfterUploads, codes, expect, expectOriginBytesOnDisk, nginxDir, nginxFiles, redisKeys, seed, test, warmAll,
} from './fixtures.js';

// What a whole machine (BundleCache: memory, disk, remote, origin) does with a remote it cannot trust.
// The page's view of a remote hit is in tests/browser/remote/fleet.spec.ts.

function bundleHits(site: Site): number[] {
  return ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'].map(pathname => site.hits(pathname));
}

test('should refetch a bundle whose chunk was tampered with on Redis, keep the origin\'s bytes, and put the good body back', async ({ site, sharedRedis, redisRemote, startMachine }) => {
  await seed(startMachine, site, redisRemote);
  const wasm = site.sha256('/canvaskit/canvaskit.wasm');
  const admin = sharedRedis.client();
  // canvaskit.wasm is 7 MB: two chunks. One byte of the second one changes.
  const chunk = `${redisRemote.prefix}cas:${wasm}:1`;
  const original = await admin.getrangeBuffer(chunk, 1000, 1000);
  await admin.setrange(chunk, 1000, Buffer.from([original[0]! ^ 0xff]));
  site.resetCounters();

  const machine = await startMachine({ remote: redisRemote });
  expect(await warmAll(machine, site)).toEqual(['fresh', 'fresh', 'stored']);
  expect(bundleHits(site)).toEqual([0, 0, 1]);
  expect(codes(machine.problems)).toEqual(['ERR_REMOTE_CORRUPT']);
  expect(machine.problems[0]!.message).toContain(`the record says ${wasm}`);
  // The bad body was dropped and the machine's own upload replaced it.
  await closeAfterUploads(machine, 1);
  await expectOriginBytesOnDisk(machine, site);
  const whole = await admin.getBuffer(chunk);
  expect(whole!.equals(site.body('/canvaskit/canvaskit.wasm').subarray(4 * 1024 * 1024))).toBe(true);
});

test('should refetch a bundle whose body file was tampered with in nginx\'s directory, keep the origin\'s bytes, and put the good body back', async ({ site, sharedNginx, nginxRemote, startMachine }) => {
  await seed(startMachine, site, nginxRemote);
  const main = site.sha256('/main.dart.js');
  const file = path.join(nginxDir(sharedNginx, nginxRemote), 'cas', main);
  const body = await readFile(file);
  body[500_000] = body[500_000]! ^ 0xff;
  await writeFile(file, body);
  site.resetCounters();

  const machine = await startMachine({ remote: nginxRemote });
  expect(await warmAll(machine, site)).toEqual(['stored', 'fresh', 'fresh']);
  expect(bundleHits(site)).toEqual([1, 0, 0]);
  expect(codes(machine.problems)).toEqual(['ERR_REMOTE_CORRUPT']);
  await closeAfterUploads(machine, 1);
  await expectOriginBytesOnDisk(machine, site);
  expect((await readFile(file)).equals(site.body('/main.dart.js'))).toBe(true);
});

test('should ignore unsigned and wrongly signed records when a secret is set, fetch from the origin, and sign what it writes', async ({ site, redisRemote, startMachine }) => {
  await seed(startMachine, site, redisRemote, ['/main.dart.js?v=1', '/canvaskit/canvaskit.js']);
  await seed(startMachine, site, { ...redisRemote, secret: 'another-secret-0123456789abcdef-0123' }, ['/canvaskit/canvaskit.wasm']);
  site.resetCounters();

  const signed = { ...redisRemote, secret: SECRET };
  const machine = await startMachine({ remote: signed });
  expect(await warmAll(machine, site)).toEqual(['stored', 'stored', 'stored']);
  expect(bundleHits(site)).toEqual([1, 1, 1]);
  expect(codes(machine.problems)).toEqual(['ERR_REMOTE_UNTRUSTED', 'ERR_REMOTE_UNTRUSTED', 'ERR_REMOTE_UNTRUSTED']);
  expect(machine.problems.map(problem => /has (no|a wrong) signature/.exec(problem.message)?.[1]).sort()).toEqual(['a wrong', 'no', 'no']);
  await closeAfterUploads(machine, 3);

  // Its own uploads replaced the untrusted records: a machine with the secret now finds all three.
  site.resetCounters();
  const next = await startMachine({ remote: signed });
  expect(await warmAll(next, site)).toEqual(['fresh', 'fresh', 'fresh']);
  expect(next.cache.stats().remoteErrors).toBe(0);
  expect(site.totalHits()).toBe(0);
});

test('should write nothing to Redis from a read-only machine, while reading what is there', async ({ site, startMachine }) => {
  // A Redis of its own: its command statistics then count this machine's commands only.
  await using redis = await RedisServer.start();
  await seed(startMachine, site, redis.url, ['/main.dart.js?v=1']);
  const admin = redis.client();
  const before = await redisKeys(admin, '');
  await admin.config('RESETSTAT');
  site.resetCounters();

  const machine = await startMachine({ remote: { url: redis.url, readOnly: true } });
  expect(await warmAll(machine, site)).toEqual(['fresh', 'stored', 'stored']);
  expect(bundleHits(site)).toEqual([0, 1, 1]);
  await machine.cache.close();
  expect(machine.problems).toEqual([]);
  expect(machine.cache.stats().uploads).toBe(0);
  const commands = [...(await admin.info('commandstats')).matchAll(/^cmdstat_([a-z|]+):calls=/gm)].map(match => match[1]).sort();
  // GET (records and chunks), EXISTS (is another machine fetching?), QUIT at close, and this test's own CONFIG.
  expect(commands).toEqual(['config|resetstat', 'exists', 'get', 'quit']);
  expect(await redisKeys(admin, '')).toEqual(before);
});

test('should write nothing to nginx from a read-only machine, while reading what is there', async ({ site, sharedNginx, nginxRemote, startMachine }) => {
  await seed(startMachine, site, nginxRemote, ['/canvaskit/canvaskit.js']);
  const before = await nginxFiles(sharedNginx, nginxRemote);
  const space = new URL(nginxRemote).pathname;
  const logged = (await sharedNginx.requests()).length;
  site.resetCounters();

  const machine = await startMachine({ remote: { url: nginxRemote, readOnly: true } });
  expect(await warmAll(machine, site)).toEqual(['stored', 'fresh', 'stored']);
  expect(bundleHits(site)).toEqual([1, 0, 1]);
  await machine.cache.close();
  expect(machine.problems).toEqual([]);
  const asked = (await sharedNginx.requests()).slice(logged).filter(line => line.includes(space)).map(line => line.split(' ').slice(0, 2).join(' '));
  expect(asked.length).toBeGreaterThan(0);
  // Reads, and the HEAD that connects ahead of the first lookup (on a record id no entry has).
  expect(new Set(asked.map(line => (line.startsWith('GET ') ? 'GET' : line)))).toEqual(new Set(['GET', `HEAD ${space}ac/${'0'.repeat(64)}`]));
  expect(await nginxFiles(sharedNginx, nginxRemote)).toEqual(before);
});

test('should never upload the request\'s cookies or authorization, nor a response the cache may not store', async ({ site, sharedRedis, redisRemote, sharedNginx, nginxRemote, startMachine }) => {
  // What a page's requests carry: route hands resolve() the request's headers, as warm() does these.
  const headers = { authorization: 'Bearer token-never-uploaded', cookie: 'session=cookie-never-uploaded' };
  const writer = await startMachine({ remote: nginxRemote });
  expect(await warmAll(writer, site, BUNDLE_PATHS, headers)).toEqual(['stored', 'stored', 'stored']);
  await closeAfterUploads(writer, 3);
  const files = await nginxFiles(sharedNginx, nginxRemote);
  expect(files.filter(file => file.startsWith('ac/'))).toHaveLength(3);
  for (const file of files.filter(name => name.startsWith('ac/'))) {
    const record = await readFile(path.join(nginxDir(sharedNginx, nginxRemote), file), 'utf8');
    expect(record).not.toContain('never-uploaded');
    expect(Object.keys(JSON.parse(record).meta.headers)).not.toContain('set-cookie');
  }

  site.setHeaders('/main.dart.js', { 'cache-control': 'no-store' });
  site.setHeaders('/canvaskit/canvaskit.js', { 'cache-control': 'private, max-age=3600' });
  site.setHeaders('/canvaskit/canvaskit.wasm', { 'set-cookie': 'session=from-the-origin; Path=/' });
  const machine = await startMachine({ remote: redisRemote });
  expect(await warmAll(machine, site, BUNDLE_PATHS, headers)).toEqual(['not-stored', 'not-stored', 'not-stored']);
  await machine.cache.close();
  expect(machine.cache.stats().uploads).toBe(0);
  expect(await redisKeys(sharedRedis.client(), redisRemote.prefix)).toEqual([]);
});
