import { BundleCache, type SessionEvent } from '../../../src/index.js';
import { loginAs, viewApp } from '../../site/login/browse.js';
import { expect, readJson, sessionFiles, test } from './fixtures.js';

test('should warm again once and run the function a second time when the site revokes the session', async ({ browser, login, cacheDir, openCache }) => {
  const { cache, events } = await openCache();
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  await alice.storageState(browser);
  login.revoke('alice');
  const seen: Array<string | null> = [];
  const user = await alice.run(browser, async context => {
    const view = await viewApp(await context.newPage(), login.origin);
    seen.push(view.api);
    if (view.api !== 'alice')
      throw new Error(`the API answered ${view.api}`);
    return view.user;
  });
  expect(user).toBe('alice');
  expect(seen).toEqual(['error 452', 'alice']);
  expect(login.logins('alice')).toBe(2);
  expect(events.map(event => [event.type, event.generation, event.reason, event.dropped])).toEqual([
    ['warmed', 1, 'nothing stored', undefined],
    ['reused', 1, undefined, undefined],
    ['rejected', 1, `status 452 from ${login.origin}/api/me`, true],
    ['warmed', 2, 'rejected', undefined],
  ]);
  expect(cache.stats().sessions).toEqual({ warmed: 2, reused: 1, rejected: 1 });
  const [file] = await sessionFiles(cacheDir);
  expect(await readJson(cacheDir, file!)).toMatchObject({ generation: 2, dropped: null, failures: [expect.any(String)] });
});

const WORKERS = 4;

test('should log in once for 4 workers that see the same 452', async ({ browser, login, cacheDir }) => {
  const warm = loginAs(login.origin, 'alice');
  // Four caches on one dir, as four workers have: their own locks, their own mutexes.
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => BundleCache.open({ dir: cacheDir })));
  try {
    const sessions = workers.map(cache => cache.session('alice', { warm }));
    const contexts = [];
    for (const session of sessions)
      contexts.push(await session.newContext(browser));
    expect(login.logins('alice')).toBe(1);
    login.revoke('alice');
    // Each worker's rejection is judged and written in the background: wait for all of them before using the session again.
    const judged = workers.map(cache => new Promise<SessionEvent>(resolve => cache.on('session', event => event.type === 'rejected' && resolve(event))));
    const first = await Promise.all(contexts.map(async context => (await viewApp(await context.newPage(), login.origin)).api));
    expect(first).toEqual(Array(WORKERS).fill('error 452'));
    const rejections = await Promise.all(judged);
    expect(rejections.map(event => event.generation)).toEqual(Array(WORKERS).fill(1));
    expect(rejections.filter(event => event.dropped)).toHaveLength(1);
    await Promise.all(contexts.map(context => context.close()));
    const again = await Promise.all(sessions.map(async session => {
      const context = await session.newContext(browser);
      const view = await viewApp(await context.newPage(), login.origin);
      await context.close();
      return view.api;
    }));
    expect(again).toEqual(Array(WORKERS).fill('alice'));
    expect(login.logins('alice')).toBe(2);
    const rejected = workers.map(cache => cache.stats().sessions.rejected);
    expect(rejected).toEqual(Array(WORKERS).fill(1));
    expect(workers.reduce((sum, cache) => sum + cache.stats().sessions.warmed, 0)).toBe(2);
  } finally {
    await Promise.all(workers.map(cache => cache.close()));
  }
});

test('should take a 403 challenge page as a rejection', async ({ browser, login, openCache }) => {
  const { cache, events } = await openCache();
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  await alice.storageState(browser);
  login.challenge('alice');
  const titles: string[] = [];
  await expect(alice.run(browser, async context => {
    const page = await context.newPage();
    await page.goto(`${login.origin}/app/report`);
    titles.push(await page.title());
  })).rejects.toMatchObject({ code: 'ERR_SESSION_REJECTED', message: expect.stringContaining(`status 403 from ${login.origin}/app/report`) });
  expect(titles).toEqual(['challenge', 'challenge']);
  expect(events.filter(event => event.type === 'rejected').map(event => [event.generation, event.dropped])).toEqual([[1, true], [2, true]]);
  login.challenge('alice', false);
  const report = await alice.run(browser, async context => {
    const page = await context.newPage();
    await page.goto(`${login.origin}/app/report`);
    return page.textContent('#report');
  });
  expect(report).toBe('monthly report of alice');
  expect(login.logins('alice')).toBe(3);
});

test('should back off on a 429: report it, keep the session, warm nothing', async ({ browser, login, openCache }) => {
  const { cache, events, problems } = await openCache();
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  login.throttle('alice');
  const api = await alice.run(browser, async context => (await viewApp(await context.newPage(), login.origin)).api);
  expect(api).toBe('error 429');
  expect(events.map(event => event.type)).toEqual(['warmed']);
  expect(problems.map(problem => problem.code)).toEqual(['ERR_SESSION_THROTTLED']);
  expect(problems[0]!.message).toContain('Retry-After: 30');
  expect(problems[0]!.details).toMatchObject({ session: 'alice', generation: 1, status: 429, retryAfter: '30' });
  expect(cache.stats().errors).toBe(0);
  login.throttle('alice', false);
  const context = await alice.newContext(browser);
  expect((await viewApp(await context.newPage(), login.origin)).api).toBe('alice');
  await context.close();
  expect(login.logins('alice')).toBe(1);
});

test('should take rewarmOn as a predicate on the response', async ({ browser, login, openCache }) => {
  const { cache } = await openCache();
  const alice = cache.session('alice', {
    warm: loginAs(login.origin, 'alice'),
    rewarmOn: async response => response.status() === 401 || (response.status() === 200 && (await response.text()).includes('Sign in')),
  });
  await alice.storageState(browser);
  login.revoke('alice');
  // 452 is not in this predicate: the session is kept.
  expect(await alice.run(browser, async context => (await viewApp(await context.newPage(), login.origin)).api)).toBe('error 452');
  expect(login.logins('alice')).toBe(1);
});

test('should keep the stored state when a test logs out: only warm() writes it', async ({ browser, login, openCache }) => {
  const { cache } = await openCache();
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  await alice.run(browser, async context => {
    const page = await context.newPage();
    await viewApp(page, login.origin);
    await page.evaluate(() => fetch('/logout', { method: 'POST' }));
    expect((await viewApp(page, login.origin)).title).toBe('login');
  });
  const context = await alice.newContext(browser);
  expect(await viewApp(await context.newPage(), login.origin)).toMatchObject({ user: 'alice', api: 'alice' });
  await context.close();
  expect(login.logins('alice')).toBe(1);
});

test('should drop every stored state of a name on invalidate()', async ({ browser, login, openCache }) => {
  const { cache } = await openCache();
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  await alice.storageState(browser);
  await alice.storageState(browser, { userAgent: 'Other/1.0' });
  await alice.invalidate();
  await alice.storageState(browser);
  await alice.storageState(browser, { userAgent: 'Other/1.0' });
  expect(login.logins('alice')).toBe(4);
  expect(() => cache.session('alice')).toThrow('No session "alice" is declared, and cache.session("alice") got no options.');
});
