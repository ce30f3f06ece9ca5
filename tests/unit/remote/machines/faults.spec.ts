import { recordId } from '../../../../src/remote/entryRecord.js';
import { cacheKey, normalizeUrl } from '../../../../src/keys/normalizeUrl.js';
import { spawnTs } from '../../../helpers/children.js';
import { CutProxy } from '../../../helpers/cutProxy.js';
import { NginxServer } from '../../../helpers/nginxServer.js';
import { RedisServer } from '../../../helpers/redisServer.js';
import { BUNDLE_PATHS, codes, expect, expectOriginBytesOnDisk, nginxFiles, redisKeys, seed, test, warmAll, withTestTimeout } from './fixtures.js';
import { makeTempDir, removeDir } from '../../../helpers/tempDir.js';

// What a whole machine does when its remote fails: every request is answered (from the origin when
// the remote cannot), each failure is counted once, and never a wrong byte. The page's view of a
// Redis killed under a load is in tests/browser/remote/faults.spec.ts; the tier's own in ../faults.spec.ts.

const REMOTE_CODES = ['ERR_REMOTE_UNAVAILABLE', 'ERR_REMOTE_WRITE_REFUSED', 'ERR_REMOTE_CORRUPT', 'ERR_REMOTE_UNTRUSTED'];

test('should answer every request while Redis is killed and restarted, count each error, stop asking while the circuit is open, and come back after a probe', async ({ site, startMachine }) => {
  await using redis = await RedisServer.start();
  // Its clock moves only when told: the breaker's 30 s cooldown passes when the test says so, however slow the machine.
  let now = Date.now();
  const machine = await startMachine({ remote: redis.url, now: () => now });
  const main = (version: number) => `/main.dart.js?v=${version}`;
  expect(await warmAll(machine, site)).toEqual(['stored', 'stored', 'stored']);
  await expect.poll(() => machine.cache.stats().uploads).toBe(3);
  expect(machine.problems).toEqual([]);

  // Redis killed (a page load it dies under is in tests/browser/remote/faults.spec.ts). Build 2's main.dart.js
  // looks for a record, takes the fleet lock, looks again: three failures in a row, each reported, open the circuit.
  await redis.kill();
  site.deploy();
  expect(await warmAll(machine, site, [main(2)])).toEqual(['stored']);
  expect(codes(machine.problems)).toEqual(Array(3).fill('ERR_REMOTE_UNAVAILABLE'));
  // Open: build 3 does not ask the remote at all, and its upload is dropped without a word.
  site.deploy();
  expect(await warmAll(machine, site, [main(3)])).toEqual(['stored']);
  expect(machine.problems).toHaveLength(3);

  // Back, but the circuit is still open: build 4 comes from the origin, and nothing is asked.
  await redis.restart();
  site.deploy();
  const hits = site.hits('/main.dart.js');
  expect(await warmAll(machine, site, [main(4)])).toEqual(['stored']);
  expect(site.hits('/main.dart.js')).toBe(hits + 1);
  expect(machine.problems).toHaveLength(3);
  // The cooldown (30 s) passes: one probe goes through, finds Redis back, and uploads resume.
  now += 31_000;
  site.deploy();
  expect(await warmAll(machine, site, [main(5)])).toEqual(['stored']);
  await expect.poll(() => machine.cache.stats().uploads).toBe(4);
  await machine.cache.close();
  expect(machine.problems).toHaveLength(3);
  const reported = machine.problems.filter(problem => REMOTE_CODES.includes(problem.code));
  expect(machine.cache.stats().remoteErrors).toBe(reported.length);
  expect(machine.cache.stats().errors).toBeGreaterThanOrEqual(reported.length);

  const records = (await redisKeys(redis.client(), 'bundle-cache:')).filter(key => key.startsWith('ac:'));
  expect(records).toEqual([`ac:${recordId(cacheKey('GET', normalizeUrl(`${site.origin}${main(5)}`)))}`]);
  const before = site.hits('/main.dart.js');
  const next = await startMachine({ remote: redis.url });
  expect(await warmAll(next, site, [main(5)])).toEqual(['fresh']);
  expect(site.hits('/main.dart.js')).toBe(before);
});

test('should serve misses and never wrong bytes from a Redis whose tiny maxmemory evicts chunks', async ({ site, startMachine }) => {
  await using redis = await RedisServer.start({ maxmemory: '12mb' });
  // 12.6 MB of bundles (and Redis's own megabyte) into 12 MB: allkeys-lru evicts chunks that records still point at.
  await seed(startMachine, site, redis.url);
  expect(Number(/evicted_keys:(\d+)/.exec(await redis.client().info('stats'))![1])).toBeGreaterThan(0);
  site.resetCounters();

  const machine = await startMachine({ remote: redis.url });
  const outcomes = await warmAll(machine, site);
  expect(outcomes).toContain('stored');
  expect(outcomes.every(outcome => outcome === 'fresh' || outcome === 'stored')).toBe(true);
  expect(site.totalHits()).toBe(outcomes.filter(outcome => outcome === 'stored').length);
  expect(codes(machine.problems)).not.toContain('ERR_REMOTE_CORRUPT');
  await machine.cache.close();
  await expectOriginBytesOnDisk(machine, site);
});

test('should report nginx\'s default 1 MB body limit once with the fix, upload nothing more for the run, and answer every request', async ({ site, startMachine }) => {
  await using nginx = await NginxServer.start();
  const machine = await startMachine({ remote: nginx.url });
  expect(await warmAll(machine, site)).toEqual(['stored', 'stored', 'stored']);
  site.deploy();
  expect(await warmAll(machine, site, ['/main.dart.js?v=2'])).toEqual(['stored']);
  await machine.cache.close();
  const refused = machine.problems.filter(problem => problem.code === 'ERR_REMOTE_WRITE_REFUSED');
  expect(refused).toHaveLength(1);
  expect(refused[0]!.message).toContain('the server answered 413');
  expect(refused[0]!.message).toContain('client_max_body_size');
  const tooLargeIn = (lines: string[]) => lines.filter(line => line.startsWith('PUT ') && line.endsWith(' 413')).length;
  // nginx logs a 413 once it has discarded the refused body, which may be after the client has its answer.
  await expect.poll(async () => tooLargeIn(await nginx.requests())).toBeGreaterThanOrEqual(1);
  const log = await nginx.requests();
  // At most the two uploads in flight at once got a 413; build 2's main.dart.js was never offered.
  expect(tooLargeIn(log)).toBeLessThanOrEqual(2);
  const v2 = [site.sha256('/main.dart.js', 2), recordId(cacheKey('GET', normalizeUrl(`${site.origin}/main.dart.js?v=2`)))];
  expect(log.filter(line => !line.startsWith('GET ') && v2.some(id => line.includes(id)))).toEqual([]);
});

test('should never serve a body whose PUT was cut off when its machine died mid-upload', async ({ site, sharedNginx, nginxRemote, startMachine }) => {
  await using proxy = await CutProxy.start(sharedNginx.port, 1024 * 1024);
  const throughProxy = `http://127.0.0.1:${proxy.port}${new URL(nginxRemote).pathname}`;
  const dir = await makeTempDir('bundle-cache-machine-');
  // The writer is a process of its own: a machine that dies takes its uploads with it.
  const writer = spawnTs('tests/unit/remote/machines/warmMachine.ts', [
    JSON.stringify({ dir, remote: withTestTimeout(throughProxy) }), JSON.stringify(BUNDLE_PATHS.map(path => site.origin + path)),
  ], { BUNDLE_CACHE_REMOTE: '', BUNDLE_CACHE_REMOTE_SECRET: '', BUNDLE_CACHE_REMOTE_READONLY: '' });
  try {
    expect(JSON.parse(await writer.nextLine())).toEqual({ outcomes: ['stored', 'stored', 'stored'] });
    // A body upload is hanging mid-body: the machine dies.
    await proxy.waitForHeld(1);
    writer.process.kill('SIGKILL');
    await writer.exited;
  } finally {
    writer.process.kill('SIGKILL');
    await removeDir(dir);
  }
  const cut = [...proxy.held];
  // nginx logs a request once it ends: here when the connection closed under its body.
  await expect.poll(async () => {
    const lines = await sharedNginx.requests();
    return cut.every(path => lines.some(line => line.startsWith(`PUT ${path} `)));
  }).toBe(true);
  const files = await nginxFiles(sharedNginx, nginxRemote);
  const cutShas = cut.map(path => path.split('/').pop()!);
  expect(files.filter(file => cutShas.some(sha => file.endsWith(sha)))).toEqual([]);

  site.resetCounters();
  const reader = await startMachine({ remote: nginxRemote });
  const outcomes = await warmAll(reader, site);
  BUNDLE_PATHS.forEach((path, i) => {
    if (cutShas.includes(site.sha256(path.split('?')[0]!)))
      expect(outcomes[i], path).toBe('stored');
  });
  expect(codes(reader.problems)).toEqual([]);
  await reader.cache.close();
  await expectOriginBytesOnDisk(reader, site);
});
