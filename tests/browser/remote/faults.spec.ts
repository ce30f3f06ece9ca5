import { expectWorkingApp } from '../cache/fixtures.js';
import { NginxServer } from '../../helpers/nginxServer.js';
import { RedisServer } from '../../helpers/redisServer.js';
import { recordId } from '../../../src/remote/entryRecord.js';
import { cacheKey, normalizeUrl } from '../../../src/keys/normalizeUrl.js';
import { CutProxy } from './cutProxy.js';
import { BUNDLE_PATHS, expect, nginxFiles, redisKeys, seed, test } from './fixtures.js';
import { codes, sources, type Loaded, type MachineNews, type MachineProblem } from './machines.js';

const REMOTE_CODES = ['ERR_REMOTE_UNAVAILABLE', 'ERR_REMOTE_WRITE_REFUSED', 'ERR_REMOTE_CORRUPT', 'ERR_REMOTE_UNTRUSTED'];

/** Every problem a machine reported over its run, in order. */
function allProblems(answers: readonly MachineNews[]): MachineProblem[] {
  return answers.flatMap(answer => answer.problems);
}

test.describe.configure({ mode: 'default' });

test('should load every page while Redis is killed and restarted, count each error, stop asking while the circuit is open, and come back after a probe', async ({ site, pageUrl, openCache, startMachine }) => {
  test.setTimeout(240_000);
  await using redis = await RedisServer.start();
  // Its clock moves only when told: the breaker's 30 s cooldown passes when the test says so, however slow the machine.
  const machine = await startMachine({ remote: redis.url }, { frozenClock: true });
  const answers: MachineNews[] = [];
  const load = async (): Promise<Loaded> => {
    const loaded = await machine.load(pageUrl);
    expectWorkingApp(loaded.report, site);
    answers.push(loaded);
    return loaded;
  };
  expect((await load()).problems).toEqual([]);

  // Killed in the middle of loading build 2, then build 3 with Redis gone for sure: each a new main.dart.js.
  site.deploy();
  const loading = load();
  await redis.kill();
  const killed = await loading;
  site.deploy();
  const down = [...killed.problems, ...(await load()).problems];
  expect(codes(down)).toContain('ERR_REMOTE_UNAVAILABLE');
  expect(codes(down).every(code => code === 'ERR_REMOTE_UNAVAILABLE')).toBe(true);
  // Three failures in a row opened the circuit: build 4 does not ask the remote at all.
  site.deploy();
  expect((await load()).problems).toEqual([]);

  await redis.restart();
  site.deploy();
  expect(sources((await load()).served)['/main.dart.js?v=5']).toBe('network');
  // The cooldown (30 s) passes: one probe goes through, finds Redis back, and uploads resume.
  await machine.advance(31_000);
  site.deploy();
  const back = await load();
  expect(back.problems).toEqual([]);
  const closed = await machine.close();
  answers.push(closed);
  const reported = allProblems(answers).filter(problem => REMOTE_CODES.includes(problem.code));
  expect(closed.stats.remoteErrors).toBe(reported.length);
  expect(closed.stats.errors).toBeGreaterThanOrEqual(reported.length);

  const records = (await redisKeys(redis.client(), 'bundle-cache:')).filter(key => key.startsWith('ac:'));
  expect(records).toEqual([`ac:${recordId(cacheKey('GET', normalizeUrl(`${site.origin}/main.dart.js?v=6`)))}`]);
  const hits = site.hits('/main.dart.js');
  const next = await openCache({ remote: redis.url });
  expect((await next.warm(`${site.origin}/main.dart.js?v=6`)).outcome).toBe('fresh');
  expect(site.hits('/main.dart.js')).toBe(hits);
});

test('should serve misses and never wrong bytes from a Redis whose tiny maxmemory evicts chunks', async ({ site, pageUrl, openCache, startMachine }) => {
  test.setTimeout(120_000);
  await using redis = await RedisServer.start({ maxmemory: '12mb' });
  // 12.6 MB of bundles (and Redis's own megabyte) into 12 MB: allkeys-lru evicts chunks that records still point at.
  const [machine] = await Promise.all([startMachine({ remote: redis.url }), seed(openCache, site, redis.url)]);
  expect(Number(/evicted_keys:(\d+)/.exec(await redis.client().info('stats'))![1])).toBeGreaterThan(0);
  site.resetCounters();

  const loaded = await machine.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  const from = Object.values(sources(loaded.served));
  expect(from).toContain('network');
  expect(from.every(source => source === 'remote' || source === 'network')).toBe(true);
  expect(codes(loaded.problems)).not.toContain('ERR_REMOTE_CORRUPT');
  await machine.close();
});

test('should report nginx\'s default 1 MB body limit once with the fix, upload nothing more for the run, and load every page', async ({ site, pageUrl, startMachine }) => {
  test.setTimeout(120_000);
  await using nginx = await NginxServer.start();
  const machine = await startMachine({ remote: nginx.url });
  const answers: MachineNews[] = [];
  for (const version of [1, 2]) {
    if (version === 2)
      site.deploy();
    const loaded = await machine.load(pageUrl);
    expectWorkingApp(loaded.report, site);
    answers.push(loaded);
  }
  answers.push(await machine.close());
  const refused = allProblems(answers).filter(problem => problem.code === 'ERR_REMOTE_WRITE_REFUSED');
  expect(refused).toHaveLength(1);
  expect(refused[0]!.message).toContain('the server answered 413');
  expect(refused[0]!.message).toContain('client_max_body_size');
  const tooLargeIn = (lines: string[]) => lines.filter(line => line.startsWith('PUT ') && line.endsWith(' 413')).length;
  // nginx logs a 413 once it has discarded the refused body, which may be after the client has its answer.
  await expect.poll(async () => tooLargeIn(await nginx.requests())).toBeGreaterThanOrEqual(1);
  const log = await nginx.requests();
  // At most the two uploads in flight at once got a 413; build 2's main.dart.js was never offered.
  const tooLarge = tooLargeIn(log);
  expect(tooLarge).toBeLessThanOrEqual(2);
  const v2 = [site.sha256('/main.dart.js', 2), recordId(cacheKey('GET', normalizeUrl(`${site.origin}/main.dart.js?v=2`)))];
  expect(log.filter(line => !line.startsWith('GET ') && v2.some(id => line.includes(id)))).toEqual([]);
});

test('should never serve a body whose PUT was cut off when its machine died mid-upload', async ({ site, pageUrl, sharedNginx, nginxRemote, startMachine }) => {
  test.setTimeout(120_000);
  await using proxy = await CutProxy.start(sharedNginx.port, 1024 * 1024);
  const throughProxy = `http://127.0.0.1:${proxy.port}${new URL(nginxRemote).pathname}`;
  const [writer, reader] = await Promise.all([startMachine({ remote: throughProxy }), startMachine({ remote: nginxRemote })]);
  expectWorkingApp((await writer.load(pageUrl)).report, site);
  // A body upload is hanging mid-body: the machine dies.
  await proxy.waitForHeld(1);
  await writer.kill();
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
  const loaded = await reader.load(pageUrl);
  expectWorkingApp(loaded.report, site);
  const served = sources(loaded.served);
  for (const path of BUNDLE_PATHS) {
    if (cutShas.includes(site.sha256(path.split('?')[0]!)))
      expect(served[path]).toBe('network');
  }
  expect(codes(loaded.problems)).toEqual([]);
  await reader.close();
});
