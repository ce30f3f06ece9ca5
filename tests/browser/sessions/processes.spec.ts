import type { SessionStats } from '../../../src/index.js';
import { loginAs, viewApp, type AppView } from '../../site/login/browse.js';
import { spawnWorker } from './children/spawnWorker.js';
import { expect, sessionFiles, test } from './fixtures.js';

type Output = { views: Array<AppView & { session: string }>; stats: { sessions: SessionStats; errors: number } };

async function runWorkers(count: number, args: string[]): Promise<{ outputs: Output[]; stderr: string }> {
  const workers = Array.from({ length: count }, () => spawnWorker(args));
  try {
    for (const worker of workers)
      expect(await worker.nextLine()).toBe('ready');
    for (const worker of workers)
      worker.process.stdin!.write('go\n');
    const outputs = await Promise.all(workers.map(async worker => JSON.parse(await worker.nextLine()) as Output));
    expect(await Promise.all(workers.map(worker => worker.exited))).toEqual(Array(count).fill(0));
    return { outputs, stderr: workers.map(worker => worker.stderr()).join('') };
  } finally {
    for (const worker of workers)
      worker.process.kill();
  }
}

// Each login takes 2 s, so the processes, started together, all ask while the first one is still logging in.
test.use({ loginOptions: { loginDelayMs: 2000 } });

// Two processes are enough to race for one user's lock: whichever loses waits on the other's lock, then reads what it
// stored (a third or fourth process would take the same path after the same re-check), at twice the browsers' cost.
test('should log each user in once for 2 processes on a cold cache, and not at all in a new process within the ttl', async ({ browser, login, cacheDir, openCache }) => {
  test.setTimeout(240_000);
  // Two contexts per user in each process: one waits on the other process's lock, the other on its own process's mutex.
  const cold = await runWorkers(2, [cacheDir, login.origin, 'alice,bob', '2']);
  expect([login.logins('alice'), login.logins('bob')]).toEqual([1, 1]);
  const views = cold.outputs.flatMap(output => output.views);
  expect(views).toHaveLength(8);
  for (const view of views)
    expect(view).toEqual({ session: view.session, title: 'app ready', user: view.session, api: view.session });
  const total = (key: keyof SessionStats) => cold.outputs.reduce((sum, output) => sum + output.stats.sessions[key], 0);
  expect([total('warmed'), total('reused'), total('rejected')]).toEqual([2, 6, 0]);
  expect(cold.outputs.map(output => output.stats.errors)).toEqual([0, 0]);
  expect(await sessionFiles(cacheDir)).toHaveLength(2);
  // DEBUG lines name sessions and generations, never a value.
  expect(cold.stderr).toContain('session alice: stored generation 1');
  for (const canary of login.issued())
    expect(cold.stderr).not.toContain(canary);

  // A process that took no part, within the ttl: this test's own, which never opened a cache on this dir.
  const { cache } = await openCache();
  const apis = [];
  for (const user of ['alice', 'bob']) {
    const context = await cache.session(user, { warm: loginAs(login.origin, user) }).newContext(browser);
    apis.push((await viewApp(await context.newPage(), login.origin)).api);
    await context.close();
  }
  expect([login.logins('alice'), login.logins('bob')]).toEqual([1, 1]);
  expect(cache.stats().sessions).toEqual({ warmed: 0, reused: 2, rejected: 0 });
  expect(apis).toEqual(['alice', 'bob']);
});
