import { readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listFiles } from '../../helpers/tempDir.js';
import { loginAs, viewApp } from '../../site/login/browse.js';
import { expect, readJson, sessionFiles, test } from './fixtures.js';

const KEY = 'test-only-session-key-0123456789abcdef';
const OTHER_KEY = 'another-session-key-fedcba9876543210xyz';

test('should warm again after the ttl, on the injected clock', async ({ browser, login, openCache }) => {
  let now = Date.UTC(2026, 10, 21, 12, 0, 0);
  const { cache, events } = await openCache({ now: () => now });
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice'), ttl: '1h' });
  await alice.storageState(browser);
  now += 59 * 60_000;
  await alice.storageState(browser);
  expect(login.logins('alice')).toBe(1);
  now += 60_000;
  const context = await alice.newContext(browser);
  expect((await viewApp(await context.newPage(), login.origin)).api).toBe('alice');
  await context.close();
  expect(login.logins('alice')).toBe(2);
  expect(events.map(event => [event.type, event.generation, event.reason])).toEqual([
    ['warmed', 1, 'nothing stored'], ['reused', 1, undefined], ['expired', 1, 'ttl'], ['warmed', 2, 'expired'],
  ]);
});

test.describe('with a cookie that expires before the ttl', () => {
  test.use({ loginOptions: { cookieMaxAgeS: 600 } });

  test('should end the state with its cookie', async ({ browser, login, cacheDir, openCache }) => {
    let now = Date.now();
    const { cache, events } = await openCache({ now: () => now });
    const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice'), ttl: '1h' });
    const before = Date.now();
    await alice.storageState(browser);
    const after = Date.now();
    const file = await readJson(cacheDir, (await sessionFiles(cacheDir))[0]!) as { stored: { expiresAt: string; expiryReason: string } };
    expect(file.stored.expiryReason).toBe('cookie "sid"');
    const expiresAt = Date.parse(file.stored.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 600_000 - 1000);
    expect(expiresAt).toBeLessThanOrEqual(after + 600_000 + 1000);
    now = expiresAt - 1;
    await alice.storageState(browser);
    expect(login.logins('alice')).toBe(1);
    now = expiresAt;
    await alice.storageState(browser);
    expect(events.filter(event => event.type === 'expired').map(event => event.reason)).toEqual(['cookie "sid"']);
    expect(login.logins('alice')).toBe(2);
  });
});

test('should report a damaged file and warm again, never crash', async ({ browser, login, cacheDir, openCache }) => {
  const { cache, problems, events } = await openCache();
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  await alice.storageState(browser);
  const [file] = await sessionFiles(cacheDir);
  const text = await readFile(path.join(cacheDir, file!), 'utf8');
  await writeFile(path.join(cacheDir, file!), text.slice(0, text.length / 2));
  const context = await alice.newContext(browser);
  expect((await viewApp(await context.newPage(), login.origin)).api).toBe('alice');
  await context.close();
  expect(login.logins('alice')).toBe(2);
  expect(problems.map(problem => problem.code)).toEqual(['ERR_SESSION_UNREADABLE']);
  expect(problems[0]!.message).toContain('not JSON');
  expect(events.at(-1)).toMatchObject({ type: 'warmed', generation: 1, reason: 'unreadable' });
  expect(cache.stats().errors).toBe(1);
});

test('should report a file encrypted with another key and warm again, with no plaintext fallback', async ({ browser, login, openCache }) => {
  const first = await openCache({ sessions: { key: KEY } });
  await first.cache.session('alice', { warm: loginAs(login.origin, 'alice') }).storageState(browser);
  await first.cache.close();
  const second = await openCache({ sessions: { key: OTHER_KEY } });
  const alice = second.cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  const context = await alice.newContext(browser);
  expect((await viewApp(await context.newPage(), login.origin)).api).toBe('alice');
  await context.close();
  expect(second.problems.map(problem => problem.code)).toEqual(['ERR_SESSION_UNREADABLE']);
  expect(second.problems[0]!.message).toContain('does not decrypt with the key set');
  // The header survived: the new state is the next generation.
  expect(second.events.at(-1)).toMatchObject({ type: 'warmed', generation: 2, reason: 'unreadable' });
  // Without any key, the encrypted file is not used either.
  const third = await openCache();
  await third.cache.session('alice', { warm: loginAs(login.origin, 'alice') }).storageState(browser);
  expect(third.problems[0]!.message).toContain('it is encrypted and no key is set');
  expect(login.logins('alice')).toBe(3);
});

test('should leave no cookie value or token anywhere under the cache dir with a key set', async ({ browser, login, cacheDir, openCache }) => {
  const { cache } = await openCache({ sessions: { key: KEY } });
  const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
  const bob = cache.session('bob', { warm: loginAs(login.origin, 'bob') });
  for (const session of [alice, bob, alice]) {
    const context = await session.newContext(browser);
    expect((await viewApp(await context.newPage(), login.origin)).api).toBe(session.name);
    await context.close();
  }
  login.revoke('alice');
  await alice.run(browser, async context => (await viewApp(await context.newPage(), login.origin)).api);
  const canaries = login.issued();
  expect(canaries).toHaveLength(6);
  const files = await listFiles(cacheDir);
  expect(files.filter(file => file.startsWith('sessions/'))).toHaveLength(2);
  for (const file of files) {
    const bytes = await readFile(path.join(cacheDir, file));
    for (const canary of canaries) {
      for (const encoding of ['utf8', 'base64', 'hex'] as const)
        expect(bytes.includes(Buffer.from(canary).toString(encoding)), `${canary} (${encoding}) in ${file}`).toBe(false);
    }
  }
  // The same run without a key stores them in the clear: the check above can fail.
  const plainDir = path.join(cacheDir, 'plain');
  const { cache: plain } = await openCache({ dir: plainDir });
  await plain.session('carol', { warm: loginAs(login.origin, 'carol') }).storageState(browser);
  const plainText = await readFile(path.join(plainDir, (await sessionFiles(plainDir))[0]!), 'utf8');
  expect(login.issued().slice(-2).every(canary => plainText.includes(canary))).toBe(true);
});

test('should make the sessions directory 0700 and its files 0600 under umask 000, and refuse a planted link', async ({ browser, login, cacheDir, openCache }) => {
  const previous = process.umask(0);
  try {
    const { cache, problems } = await openCache({ dir: path.join(cacheDir, 'root') });
    const alice = cache.session('alice', { warm: loginAs(login.origin, 'alice') });
    await alice.storageState(browser);
    const root = path.join(cacheDir, 'root');
    const [file] = await sessionFiles(root);
    expect((await stat(path.join(root, 'sessions'))).mode & 0o777).toBe(0o700);
    expect((await stat(path.join(root, file!))).mode & 0o777).toBe(0o600);
    const victim = path.join(cacheDir, 'victim.json');
    await writeFile(victim, 'untouched');
    const target = path.join(root, file!);
    await rm(target);
    await symlink(victim, target);
    await alice.storageState(browser);
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    expect(problems.map(problem => problem.code)).toEqual(['ERR_UNSAFE_PATH']);
    expect((await stat(target)).isFile()).toBe(true);
    expect(login.logins('alice')).toBe(2);
  } finally {
    process.umask(previous);
  }
});
