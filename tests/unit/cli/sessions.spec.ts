import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { LockManager } from '../../../src/disk/locks.js';
import { fingerprintOf, sessionPaths } from '../../../src/sessions/fingerprint.js';
import { encodeRecord, type SessionRecord } from '../../../src/sessions/sessionRecord.js';
import type { SessionPayload } from '../../../src/sessions/storageState.js';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

const KEY = 'cli-test-session-key-0123456789abcdef';
const MINUTE = 60_000;
const SECRETS = ['sid-value-canary', 'tok-value-canary', 'idb-value-canary'];

function payload(): SessionPayload {
  return {
    state: {
      cookies: [
        { name: 'sid', value: SECRETS[0]!, domain: 'app.example.com', path: '/', expires: -1, httpOnly: true, secure: true, sameSite: 'Lax' },
        { name: 'cf_clearance', value: 'cf-canary', domain: '.example.com', path: '/', expires: -1, httpOnly: true, secure: true, sameSite: 'None' },
      ],
      origins: [{ origin: 'https://app.example.com', localStorage: [{ name: 'token', value: SECRETS[1]! }], indexedDB: [{ name: 'db', value: SECRETS[2] }] }],
    },
    visited: ['https://login.example.com'],
  };
}

/** Writes a session file as the library does, at the path it would use. */
async function writeSession(dir: string, name: string, record: Partial<SessionRecord>, options: { key?: string; userAgent?: string } = {}): Promise<string> {
  const paths = sessionPaths(dir, name, fingerprintOf({ userAgent: options.userAgent }));
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const full: SessionRecord = { name, keyHash: paths.keyHash, generation: 1, failures: [], dropped: null, stored: null, ...record };
  await writeFile(paths.file, encodeRecord(full, options.key), { mode: 0o600 });
  return paths.file;
}

function stored(now: number, ageMs: number, ttlMs: number, encrypted = false): SessionRecord['stored'] {
  return { stateId: 'abcdef0123456789', storedAt: now - ageMs, expiresAt: now - ageMs + ttlMs, expiryReason: 'ttl', encrypted, payload: payload() };
}

async function populate(dir: string, now: number): Promise<void> {
  await writeSession(dir, 'alice', { generation: 2, stored: stored(now, 5 * MINUTE, 60 * MINUTE) });
  await writeSession(dir, 'bob', { generation: 3, failures: [now - MINUTE], dropped: { at: now - MINUTE, kind: 'rejected', reason: 'status 452 from https://app.example.com/api/me' } });
  await writeSession(dir, 'carol', { stored: stored(now, 2 * 60 * MINUTE, 60 * MINUTE) });
  await writeFile(path.join(dir, 'sessions', 'broken-0123456789abcdef0123456789abcdef.json'), '{ not json');
}

test('should list each session with its age, expiry, origins, counts and generation, never a value', async ({ dir, now }) => {
  await populate(dir, now);
  const run = await runCli(['sessions', '--dir', dir], { now });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  const lines = run.stdout.split('\n');
  expect(lines.slice(0, 3)).toEqual([
    `dir         ${dir}`,
    'sessions    4: 1 stored, 1 expired, 1 dropped, 1 corrupt',
    'encryption  off: states are written as plain JSON (0600, readable by this user only); set BUNDLE_CACHE_SESSION_KEY (openssl rand -base64 32) to encrypt them',
  ]);
  expect(lines[4]).toMatch(/^NAME +STATUS +AGE +EXPIRES IN +GEN +COOKIES +STORAGE +ENCRYPTED +ORIGINS$/);
  expect(run.stdout).toMatch(/\nalice +stored +5m +55m +2 +2 +2 +no +https:\/\/app\.example\.com https:\/\/login\.example\.com example\.com\n/);
  expect(run.stdout).toMatch(/\nbob +dropped +— +— +3 +— +— +— +—\n/);
  expect(run.stdout).toMatch(/\ncarol +expired +2h +expired +1 +2 +2 +no +https:\/\/app\.example\.com/);
  expect(run.stdout).toMatch(/\n\? +corrupt +— +— +— +— +— +— +—\n/);
  expect(run.stdout).toContain(`bob: rejected (status 452 from https://app.example.com/api/me) at ${new Date(now - MINUTE).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC; the next use warms it again`);
  expect(run.stdout).toContain('sessions/broken-0123456789abcdef0123456789abcdef.json: corrupt: not JSON;');
  for (const secret of [...SECRETS, 'cf-canary'])
    expect(run.stdout).not.toContain(secret);
});

test('should give the same data as JSON, without a value', async ({ dir, now }) => {
  await populate(dir, now);
  const run = await runCli(['sessions', '--dir', dir, '--json'], { now });
  expect(run.code).toBe(0);
  const result = run.json();
  expect(result.summary).toEqual({ files: 4, stored: 1, expired: 1, dropped: 1, unreadable: 0, corrupt: 1, encrypted: 0, keySet: false });
  expect(result.sessions[0]).toEqual({
    file: expect.stringMatching(/^sessions\/alice-[0-9a-f]{32}\.json$/), name: 'alice', status: 'stored', generation: 2, encrypted: false,
    storedAt: new Date(now - 5 * MINUTE).toISOString(), ageMs: 5 * MINUTE, expiresAt: new Date(now + 55 * MINUTE).toISOString(), expiresInMs: 55 * MINUTE,
    expiryReason: 'ttl', origins: ['https://app.example.com', 'https://login.example.com', 'example.com'], cookies: 2, storageKeys: 2,
    dropped: null, failures: 0, problem: null,
  });
  for (const secret of [...SECRETS, 'cf-canary'])
    expect(run.stdout).not.toContain(secret);
});

test('should say what it cannot read of an encrypted file without the key, and read it all with the key', async ({ dir, now }) => {
  await writeSession(dir, 'alice', { stored: stored(now, MINUTE, 60 * MINUTE, true) }, { key: KEY });
  const without = await runCli(['sessions', '--dir', dir], { now });
  expect(without.stdout).toContain('sessions    1: 1 unreadable\n');
  expect(without.stdout).toContain('1 file is encrypted, and without the key their origins and counts cannot be read');
  expect(without.stdout).toMatch(/\nalice +unreadable +1m +59m +1 +— +— +yes +\(encrypted\)\n/);
  expect(without.stdout).toContain('alice: unreadable: it is encrypted and no key is set');
  const withKey = await runCli(['sessions', '--dir', dir, '--json'], { now, env: { BUNDLE_CACHE_SESSION_KEY: KEY } });
  expect(withKey.json().sessions[0]).toMatchObject({ status: 'stored', encrypted: true, cookies: 2, storageKeys: 2, origins: ['https://app.example.com', 'https://login.example.com', 'example.com'] });
  expect(withKey.json().summary.keySet).toBe(true);
  const text = await runCli(['sessions', '--dir', dir], { now, env: { BUNDLE_CACHE_SESSION_KEY: KEY } });
  expect(text.stdout).toContain('encryption  on: BUNDLE_CACHE_SESSION_KEY is set; states are written AES-256-GCM encrypted\n');
  for (const secret of SECRETS)
    expect(text.stdout + withKey.stdout).not.toContain(secret);
});

test('should clear one session, every file of it, and leave the others', async ({ dir, now }) => {
  await populate(dir, now);
  await writeSession(dir, 'alice', { stored: stored(now, MINUTE, 60 * MINUTE) }, { userAgent: 'Other/1.0' });
  const run = await runCli(['sessions', 'clear', 'alice', '--dir', dir], { now });
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/^removed 2 session files; the next use of each warms it again\n {2}- alice {2}sessions\/alice-[0-9a-f]{32}\.json\n {2}- alice {2}sessions\/alice-[0-9a-f]{32}\.json\n$/);
  const left = (await readdir(path.join(dir, 'sessions'))).sort();
  expect(left.map(name => name.split('-')[0])).toEqual(['bob', 'broken', 'carol']);
  const none = await runCli(['sessions', 'clear', 'alice', '--dir', dir], { now });
  expect(none).toMatchObject({ code: 1, stdout: `no session named "alice" in ${dir}\n` });
});

test('should clear every session, leaving one a process is warming', async ({ dir, now }) => {
  await populate(dir, now);
  const locks = new LockManager();
  const held = await locks.acquire(sessionPaths(dir, 'carol', fingerprintOf({})).stem, 0);
  try {
    const run = await runCli(['sessions', 'clear', '--dir', dir, '--json'], { now });
    expect(run.code).toBe(1);
    const result = run.json();
    expect(result.removed.map((item: { name: string | null }) => item.name).sort()).toEqual(['alice', 'bob', null]);
    expect(result.skipped).toEqual([{ name: 'carol', file: expect.stringMatching(/^sessions\/carol-/), reason: 'busy' }]);
  } finally {
    await held.release();
  }
  const text = await runCli(['sessions', 'clear', '--dir', dir], { now });
  expect(text).toMatchObject({ code: 0, stdout: expect.stringMatching(/^removed 1 session file;/) });
  expect(await readdir(path.join(dir, 'sessions'))).toEqual([]);
});

test('should show one line about sessions in status', async ({ dir, now, healthy }) => {
  expect(healthy).toBeTruthy();
  const empty = await runCli(['status', '--dir', dir], { now });
  expect(empty.stdout).toContain('\nsessions    none\n');
  await populate(dir, now);
  const run = await runCli(['status', '--dir', dir], { now });
  expect(run.stdout).toContain('\nsessions    4: 1 stored, 1 expired, 1 dropped, 1 corrupt (plain JSON, not encrypted); `bundle-cache sessions` lists them\n');
  const json = (await runCli(['status', '--dir', dir, '--json'], { now })).json();
  expect(json.sessions).toEqual({ files: 4, stored: 1, expired: 1, dropped: 1, unreadable: 0, corrupt: 1, encrypted: 0, keySet: false });
});

test('should refuse an unknown subcommand and a short key', async ({ dir, now }) => {
  const bad = await runCli(['sessions', 'list', '--dir', dir], { now });
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('bundle-cache sessions: unexpected argument "list"; the only subcommand is "clear"');
  expect(bad.stderr).toContain('Usage: bundle-cache sessions [clear [name]] [--dir <path>] [--json]');
  const short = await runCli(['sessions', '--dir', dir], { now, env: { BUNDLE_CACHE_SESSION_KEY: 'short' } });
  expect(short.code).toBe(2);
  expect(short.stderr).toContain('openssl rand -base64 32');
});
