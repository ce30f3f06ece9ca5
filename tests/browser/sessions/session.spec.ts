import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isBundleCacheError } from '../../../src/errors.js';
import { loginAs, viewApp } from '../../site/login/browse.js';
import { expect, readJson, sessionFiles, test } from './fixtures.js';

const LOGIN_MS = 300;

test.describe('with a login that takes a while', () => {
  // The warmed event's duration covers the login.
  test.use({ loginOptions: { loginDelayMs: LOGIN_MS } });

  test('should log in once, then give every new context the stored state', async ({ browser, login, cacheDir, openCache }) => {
    const { cache, events } = await openCache();
    const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
    for (let i = 0; i < 3; i++) {
      const context = await alice.newContext(browser);
      expect(await viewApp(await context.newPage(), login.origin)).toEqual({ title: 'app ready', user: 'alice', api: 'alice' });
      await context.close();
    }
    expect(login.logins('alice')).toBe(1);
    expect(cache.stats().sessions).toEqual({ warmed: 1, reused: 2, rejected: 0 });
    expect(events.map(event => [event.type, event.generation, event.reason])).toEqual([['warmed', 1, 'nothing stored'], ['reused', 1, undefined], ['reused', 1, undefined]]);
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(LOGIN_MS);
    const files = await sessionFiles(cacheDir);
    expect(files).toEqual([expect.stringMatching(/^sessions\/alice-[0-9a-f]{32}\.json$/)]);
    expect((await stat(path.join(cacheDir, files[0]!))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(cacheDir, 'sessions'))).mode & 0o777).toBe(0o700);
    const file = await readJson(cacheDir, files[0]!);
    expect(file).toMatchObject({ format: 1, name: 'alice', generation: 1, dropped: null });
  });
});

test('should return the stored state, with IndexedDB, warming first if needed', async ({ browser, login, openCache }) => {
  const { cache } = await openCache();
  const alice = cache.session('alice', {
    warm: async context => {
      await loginAs(login.origin, 'alice')(context);
      const page = await context.newPage();
      await page.goto(`${login.origin}/app`);
      await page.evaluate(() => new Promise<void>(resolve => {
        const open = indexedDB.open('profile', 1);
        open.onupgradeneeded = () => open.result.createObjectStore('prefs');
        open.onsuccess = () => {
          const tx = open.result.transaction('prefs', 'readwrite');
          tx.objectStore('prefs').put('dark', 'theme');
          tx.oncomplete = () => resolve();
        };
      }));
    },
  });
  const state = await alice.storageState(browser);
  expect(state.cookies.map(cookie => [cookie.name, cookie.httpOnly])).toEqual([['sid', true]]);
  const origin = state.origins.find(entry => entry.origin === login.origin)!;
  expect(origin.localStorage.map(item => item.name)).toEqual(['token']);
  expect(origin.indexedDB).toHaveLength(1);
  // Without a browser: the last one this session used.
  expect(await alice.storageState()).toEqual(state);
  const context = await alice.newContext(browser);
  const page = await context.newPage();
  await page.goto(`${login.origin}/app`);
  expect(await page.evaluate(() => new Promise(resolve => {
    const open = indexedDB.open('profile', 1);
    open.onsuccess = () => {
      const get = open.result.transaction('prefs').objectStore('prefs').get('theme');
      get.onsuccess = () => resolve(get.result);
    };
  }))).toBe('dark');
  await context.close();
  expect(login.logins('alice')).toBe(1);
});

test('should keep users apart and key each state by the user agent', async ({ browser, login, cacheDir, openCache }) => {
  const { cache } = await openCache();
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  const bob = cache.session('bob', { warm: loginAs(login.origin, 'bob') });
  const contexts = await Promise.all([alice.newContext(browser), bob.newContext(browser), alice.newContext(browser), bob.newContext(browser)]);
  const views = await Promise.all(contexts.map(async context => viewApp(await context.newPage(), login.origin)));
  expect(views.map(view => view.user)).toEqual(['alice', 'bob', 'alice', 'bob']);
  expect(views.map(view => view.api)).toEqual(['alice', 'bob', 'alice', 'bob']);
  await Promise.all(contexts.map(context => context.close()));
  expect([login.logins('alice'), login.logins('bob')]).toEqual([1, 1]);

  const otherAgent = await alice.newContext(browser, { userAgent: 'SessionTest/2.0' });
  expect((await viewApp(await otherAgent.newPage(), login.origin)).user).toBe('alice');
  await otherAgent.close();
  expect(login.logins('alice')).toBe(2);
  expect(await sessionFiles(cacheDir)).toHaveLength(3);
});

test('should fail a warm-up that throws or leaves nothing, naming the session, and store nothing', async ({ browser, login, cacheDir, openCache }) => {
  const { cache } = await openCache();
  login.ban('mallory');
  const mallory = cache.session('mallory', { warm: loginAs(login.origin, 'mallory') });
  const thrown = await mallory.newContext(browser).catch(error => error);
  expect(isBundleCacheError(thrown, 'ERR_SESSION_WARM')).toBe(true);
  expect(thrown.message).toContain('warm() of session "mallory" failed: the login of mallory ended on the locked page');
  const empty = cache.session('nobody', { warm: async context => void await (await context.newPage()).goto(`${login.origin}/login`) });
  const nothing = await empty.newContext(browser).catch(error => error);
  expect(isBundleCacheError(nothing, 'ERR_SESSION_WARM')).toBe(true);
  expect(nothing.message).toContain('warm() of session "nobody" left no cookies and no storage');
  for (const file of await sessionFiles(cacheDir))
    expect(await readJson(cacheDir, file)).toMatchObject({ stored: null, failures: [expect.any(String)] });
  expect(cache.stats().sessions).toEqual({ warmed: 0, reused: 0, rejected: 0 });
});
