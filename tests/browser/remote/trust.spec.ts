import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleHits, expectWorkingApp } from '../cache/fixtures.js';
import { RedisServer } from '../../helpers/redisServer.js';
import { SECRET, expect, nginxFiles, redisKeys, seed, test } from './fixtures.js';
import { codes, sources } from './machines.js';

const NONE_FROM_ORIGIN = { '/main.dart.js': 0, '/canvaskit/canvaskit.js': 0, '/canvaskit/canvaskit.wasm': 0 };

test.describe.configure({ mode: 'default' });

test('should refetch a bundle whose chunk was tampered with on Redis, serve the page byte for byte, and put the good body back', async ({ site, pageUrl, sharedRedis, redisRemote, openCache, startMachine }) => {
  test.setTimeout(120_000);
  const [machine] = await Promise.all([startMachine({ remote: redisRemote }), seed(openCache, site, redisRemote)]);
  const wasm = site.sha256('/canvaskit/canvaskit.wasm');
  const admin = sharedRedis.client();
  // canvaskit.wasm is 7 MB: two chunks. One byte of the second one changes.
  const chunk = `${redisRemote.prefix}cas:${wasm}:1`;
  const original = await admin.getrangeBuffer(chunk, 1000, 1000);
  await admin.setrange(chunk, 1000, Buffer.from([original[0]! ^ 0xff]));
  site.resetCounters();

  const loaded = await machine.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(sources(loaded.served)).toEqual({ '/main.dart.js?v=1': 'remote', '/canvaskit/canvaskit.js': 'remote', '/canvaskit/canvaskit.wasm': 'network' });
  expect(bundleHits(site)).toEqual({ ...NONE_FROM_ORIGIN, '/canvaskit/canvaskit.wasm': 1 });
  expect(codes(loaded.problems)).toEqual(['ERR_REMOTE_CORRUPT']);
  expect(loaded.problems[0]!.message).toContain(`the record says ${wasm}`);
  await machine.close();
  // The bad body was dropped and the machine's own upload replaced it.
  const whole = await admin.getBuffer(chunk);
  expect(whole!.equals(site.body('/canvaskit/canvaskit.wasm').subarray(4 * 1024 * 1024))).toBe(true);
});

test('should refetch a bundle whose body file was tampered with in nginx\'s directory, and serve the page byte for byte', async ({ site, pageUrl, sharedNginx, nginxRemote, openCache, startMachine }) => {
  test.setTimeout(120_000);
  const [machine] = await Promise.all([startMachine({ remote: nginxRemote }), seed(openCache, site, nginxRemote)]);
  const main = site.sha256('/main.dart.js');
  const file = path.join(nginxDir(sharedNginx, nginxRemote), 'cas', main);
  const body = await readFile(file);
  body[500_000] = body[500_000]! ^ 0xff;
  await writeFile(file, body);
  site.resetCounters();

  const loaded = await machine.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(sources(loaded.served)).toEqual({ '/main.dart.js?v=1': 'network', '/canvaskit/canvaskit.js': 'remote', '/canvaskit/canvaskit.wasm': 'remote' });
  expect(bundleHits(site)).toEqual({ ...NONE_FROM_ORIGIN, '/main.dart.js': 1 });
  expect(codes(loaded.problems)).toEqual(['ERR_REMOTE_CORRUPT']);
  await machine.close();
  expect((await readFile(file)).equals(site.body('/main.dart.js'))).toBe(true);
});

test('should ignore unsigned and wrongly signed records when a secret is set, fetch from the origin, and sign what it writes', async ({ site, pageUrl, redisRemote, openCache, startMachine }) => {
  test.setTimeout(120_000);
  await seed(openCache, site, redisRemote, ['/main.dart.js?v=1', '/canvaskit/canvaskit.js']);
  await seed(openCache, site, { ...redisRemote, secret: 'another-secret-0123456789abcdef-0123' }, ['/canvaskit/canvaskit.wasm']);
  site.resetCounters();

  const signed = { ...redisRemote, secret: SECRET };
  const machine = await startMachine({ remote: signed });
  const loaded = await machine.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 1, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
  expect(codes(loaded.problems)).toEqual(['ERR_REMOTE_UNTRUSTED', 'ERR_REMOTE_UNTRUSTED', 'ERR_REMOTE_UNTRUSTED']);
  expect(loaded.problems.map(problem => /has (no|a wrong) signature/.exec(problem.message)?.[1]).sort()).toEqual(['a wrong', 'no', 'no']);
  await machine.close();

  // Its own uploads replaced the untrusted records: a machine with the secret now finds all three.
  site.resetCounters();
  const next = await openCache({ remote: signed });
  for (const url of ['/main.dart.js?v=1', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'])
    expect((await next.warm(site.origin + url)).outcome).toBe('fresh');
  expect(next.stats().remoteErrors).toBe(0);
  expect(site.totalHits()).toBe(0);
});

test('should write nothing to Redis from a read-only machine, while reading what is there', async ({ site, pageUrl, openCache, startMachine }) => {
  test.setTimeout(120_000);
  // A Redis of its own: its command statistics then count this machine's commands only.
  await using redis = await RedisServer.start();
  const [machine] = await Promise.all([startMachine({ remote: { url: redis.url, readOnly: true } }), seed(openCache, site, redis.url, ['/main.dart.js?v=1'])]);
  const admin = redis.client();
  const before = await redisKeys(admin, '');
  await admin.config('RESETSTAT');
  site.resetCounters();

  const loaded = await machine.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(sources(loaded.served)).toEqual({ '/main.dart.js?v=1': 'remote', '/canvaskit/canvaskit.js': 'network', '/canvaskit/canvaskit.wasm': 'network' });
  await machine.close();
  expect(loaded.problems).toEqual([]);
  const commands = [...(await admin.info('commandstats')).matchAll(/^cmdstat_([a-z|]+):calls=/gm)].map(match => match[1]).sort();
  // GET (records and chunks), EXISTS (is another machine fetching?), QUIT at close, and this test's own CONFIG.
  expect(commands).toEqual(['config|resetstat', 'exists', 'get', 'quit']);
  expect(await redisKeys(admin, '')).toEqual(before);
});

test('should write nothing to nginx from a read-only machine, while reading what is there', async ({ site, pageUrl, sharedNginx, nginxRemote, openCache, startMachine }) => {
  test.setTimeout(120_000);
  const [machine] = await Promise.all([startMachine({ remote: { url: nginxRemote, readOnly: true } }), seed(openCache, site, nginxRemote, ['/canvaskit/canvaskit.js'])]);
  const before = await nginxFiles(sharedNginx, nginxRemote);
  const space = new URL(nginxRemote).pathname;
  const logged = (await sharedNginx.requests()).length;
  site.resetCounters();

  const loaded = await machine.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  expect(sources(loaded.served)).toEqual({ '/main.dart.js?v=1': 'network', '/canvaskit/canvaskit.js': 'remote', '/canvaskit/canvaskit.wasm': 'network' });
  await machine.close();
  expect(loaded.problems).toEqual([]);
  const methods = (await sharedNginx.requests()).slice(logged).filter(line => line.includes(space)).map(line => line.split(' ')[0]);
  expect(methods.length).toBeGreaterThan(0);
  expect(new Set(methods)).toEqual(new Set(['GET']));
  expect(await nginxFiles(sharedNginx, nginxRemote)).toEqual(before);
});

test('should never upload the request\'s cookies or authorization, nor a response the cache may not store', async ({ site, pageUrl, sharedRedis, redisRemote, sharedNginx, nginxRemote, startMachine }) => {
  test.setTimeout(120_000);
  const context = {
    extraHTTPHeaders: { authorization: 'Bearer token-never-uploaded' },
    cookies: [{ name: 'session', value: 'cookie-never-uploaded', url: site.origin }],
  };
  const [writer, machine] = await Promise.all([startMachine({ remote: nginxRemote }), startMachine({ remote: redisRemote })]);
  expectWorkingApp((await writer.load(pageUrl, context)).report, site);
  expect((await writer.close()).stats.uploads).toBe(3);
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
  const loaded = await machine.load(pageUrl, context);
  expectWorkingApp(loaded.report, site);
  expect(loaded.served.filter(event => event.stored)).toEqual([]);
  expect((await machine.close()).stats.uploads).toBe(0);
  expect(await redisKeys(sharedRedis.client(), redisRemote.prefix)).toEqual([]);
});

/** Where nginx keeps the files of a test's space. */
function nginxDir(nginx: { storage: string; url: string }, remote: string): string {
  return path.join(nginx.storage, new URL(remote).pathname.slice(new URL(nginx.url).pathname.length));
}
