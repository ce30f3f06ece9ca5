import type { BrowserContext } from 'playwright';
import { isBundleCacheError } from '../../../src/errors.js';
import { loginAs, viewApp } from '../../site/login/browse.js';
import { expect, test } from './fixtures.js';

const MINUTE = 60_000;

test('should stop re-warming a session the site keeps rejecting, and say so with a code', async ({ browser, login, cacheDir, openCache }) => {
  let now = Date.UTC(2026, 10, 21, 12, 0, 0);
  const { cache } = await openCache({ now: () => now });
  const eve = cache.session('eve', { warm: loginAs(login.origin, 'eve') });
  // A burned IP: every login works, every session it earns is refused.
  login.burn('eve');
  const work = async (context: BrowserContext) => (await viewApp(await context.newPage(), login.origin)).api;
  const first = await eve.run(browser, work).catch(error => error);
  expect(isBundleCacheError(first, 'ERR_SESSION_REJECTED')).toBe(true);
  expect(login.logins('eve')).toBe(2);
  now += MINUTE;
  const second = await eve.run(browser, work).catch(error => error);
  expect(isBundleCacheError(second, 'ERR_SESSION_BREAKER')).toBe(true);
  expect(second.message).toContain('Session "eve" is not warmed again: it failed 3 times within 10 min');
  expect(second.message).toContain(`npx bundle-cache sessions clear eve --dir ${cacheDir}`);
  expect(second.details).toMatchObject({ session: 'eve', failures: 3, windowMs: 10 * MINUTE, retryAt: new Date(Date.UTC(2026, 10, 21, 12, 10, 0)).toISOString() });
  expect(login.logins('eve')).toBe(3);
  // Open: no login is even tried.
  now += 8 * MINUTE;
  await expect(eve.newContext(browser)).rejects.toMatchObject({ code: 'ERR_SESSION_BREAKER' });
  expect(login.logins('eve')).toBe(3);
  // Once enough failures are older than the window, one warm-up is allowed again.
  login.burn('eve', false);
  now += 2 * MINUTE;
  expect(await eve.run(browser, work)).toBe('eve');
  expect(login.logins('eve')).toBe(4);
});

test('should stop after a few failed warm-ups too', async ({ browser, login, openCache }) => {
  const { cache } = await openCache();
  login.ban('mallory');
  const mallory = cache.session('mallory', { warm: loginAs(login.origin, 'mallory'), breaker: { failures: 2, window: '1h' } });
  const codes = [];
  for (let i = 0; i < 4; i++)
    codes.push((await mallory.newContext(browser).catch(error => error)).code);
  expect(codes).toEqual(['ERR_SESSION_WARM', 'ERR_SESSION_WARM', 'ERR_SESSION_BREAKER', 'ERR_SESSION_BREAKER']);
  expect(login.attempts('mallory')).toBe(2);
});
