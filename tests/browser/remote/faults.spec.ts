import { expectWorkingApp } from '../cache/fixtures.js';
import { RedisServer } from '../../helpers/redisServer.js';
import { codes, expect, test } from './fixtures.js';

// A page never fails because of the remote. The whole kill-and-restart story (errors counted,
// the circuit, the probe) is told without a browser in tests/unit/remote/machines/faults.spec.ts,
// and every other remote fault there and in tests/unit/remote/faults.spec.ts.

test('should load the page while Redis is killed under it, and while it stays down', async ({ site, pageUrl, startMachine }) => {
  await using redis = await RedisServer.start();
  const machine = await startMachine({ remote: redis.url });
  const first = await machine.load(pageUrl);
  expectWorkingApp(first.report, site);
  expect(first.problems).toEqual([]);

  // Killed while build 2 loads, then build 3 with Redis gone for sure: each a new main.dart.js.
  site.deploy();
  const [killed] = await Promise.all([machine.load(pageUrl), redis.kill()]);
  expectWorkingApp(killed.report, site);
  site.deploy();
  const down = await machine.load(pageUrl);
  expectWorkingApp(down.report, site);
  const problems = codes([...killed.problems, ...down.problems]);
  expect(problems).toContain('ERR_REMOTE_UNAVAILABLE');
  expect(problems.every(code => code === 'ERR_REMOTE_UNAVAILABLE')).toBe(true);
});
