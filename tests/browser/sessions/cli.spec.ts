import { runCli } from '../../unit/cli/fixtures/runCli.js';
import { loginAs } from '../../site/login/browse.js';
import { expect, test } from './fixtures.js';

const KEY = 'cli-browser-test-key-0123456789abcdefgh';

test('should list a real session without a value, and clear it so the next use logs in again', async ({ browser, login, cacheDir, openCache }) => {
  const { cache } = await openCache({ sessions: { key: KEY } });
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  await alice.storageState(browser);
  const env = { BUNDLE_CACHE_SESSION_KEY: KEY };
  const text = await runCli(['sessions', '--dir', cacheDir], { env });
  const json = await runCli(['sessions', '--dir', cacheDir, '--json'], { env });
  expect(json.json().sessions).toEqual([expect.objectContaining({
    name: 'alice', status: 'stored', generation: 1, encrypted: true, cookies: 1, storageKeys: 1, origins: [login.origin], expiryReason: 'ttl',
  })]);
  for (const canary of login.issued())
    expect(text.stdout + json.stdout).not.toContain(canary);
  expect(await runCli(['sessions', 'clear', 'alice', '--dir', cacheDir])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^removed 1 session file;/) });
  await alice.storageState(browser);
  expect(login.logins('alice')).toBe(2);
});

test('should reset an open circuit breaker with sessions clear', async ({ browser, login, cacheDir, openCache }) => {
  const { cache } = await openCache();
  login.ban('mallory');
  const mallory = cache.session('mallory', { warm: loginAs(login.origin, 'mallory'), breaker: { failures: 1, window: '1h' } });
  await expect(mallory.newContext(browser)).rejects.toMatchObject({ code: 'ERR_SESSION_WARM' });
  const breaker = await mallory.newContext(browser).catch(error => error);
  expect(breaker.code).toBe('ERR_SESSION_BREAKER');
  login.ban('mallory', false);
  const clear = breaker.message.match(/`npx (bundle-cache sessions clear [^`]+)`/)![1]!.split(' ').slice(1);
  expect(clear).toEqual(['sessions', 'clear', 'mallory', '--dir', cacheDir]);
  expect((await runCli(clear)).code).toBe(0);
  const context = await mallory.newContext(browser);
  await context.close();
  expect([login.attempts('mallory'), login.logins('mallory')]).toEqual([2, 1]);
});
