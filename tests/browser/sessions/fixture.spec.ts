import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { startLoginSite, type LoginSite } from '../../site/login/server.js';
import { outcomeOf, runPlaywright, summaryLine, type RunResult } from '../fixture/runPlaywright.js';

// One nested run (cases/*.case.ts, 3 workers, retries 1) serves every test below.
test.describe.configure({ mode: 'default' });

let login: LoginSite;
let workDir: string;
let run: RunResult;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  login = await startLoginSite();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'bundle-cache-session-cases-'));
  run = await runPlaywright({
    config: path.join(import.meta.dirname, 'cases/playwright.config.ts'),
    outputDir: path.join(workDir, 'run'),
    env: { LOGIN_ORIGIN: login.origin, SESSION_CACHE_DIR: path.join(workDir, 'cache') },
  });
});

test.afterAll(async () => {
  await login?.close();
  if (workDir)
    await rm(workDir, { recursive: true, force: true });
});

test('should log each user in once for the whole run across 3 workers', () => {
  const users = run.tests.filter(outcome => /^should show the app of (alice|bob)/.test(outcome.title));
  expect(users).toHaveLength(8);
  expect(users.every(outcome => outcome.status === 'passed'), run.output).toBe(true);
  expect(new Set(users.map(outcome => outcome.workerIndex)).size).toBeGreaterThan(1);
  expect([login.logins('alice'), login.logins('bob')]).toEqual([1, 1]);
  // Functions in the config's `use` reach the workers: the warm-ups ran there.
  const sessions = users.map(outcome => outcome.cache!.sessions);
  expect(sessions.reduce((sum, counts) => sum + counts.warmed, 0)).toBe(2);
  expect(sessions.reduce((sum, counts) => sum + counts.reused, 0)).toBe(6);
  expect(outcomeOf(run, 'should start without a session when none is asked for').status).toBe('passed');
});

test('should fail a rejected test saying the session was dropped, and pass its retry with a fresh one', () => {
  const results = run.tests.filter(outcome => outcome.title === 'should get a fresh session on the retry after the site revoked it');
  expect(results.map(result => result.status)).toEqual(['failed', 'passed']);
  expect(results[0]!.errors.join('\n')).toContain(`The site rejected session "carol" (generation 1) during this test: status 452 from ${login.origin}/api/me; the stored session was dropped and will be warmed again.`);
  expect(results[0]!.cache!.sessions).toEqual({ warmed: 1, reused: 0, rejected: 1 });
  expect(results[1]!.cache!.sessions).toEqual({ warmed: 1, reused: 0, rejected: 0 });
  expect(login.logins('carol')).toBe(2);
});

test('should not write back the state of a test that logged out', () => {
  expect(outcomeOf(run, 'should log out').status).toBe('passed');
  expect(outcomeOf(run, 'should still be logged in in the next test').status).toBe('passed');
  expect(login.logins('dave')).toBe(1);
});

test('should name an undeclared session and the fix', () => {
  const results = run.tests.filter(outcome => outcome.title === 'should fail with the name and the fix when the session is not declared');
  expect(results.map(result => result.status)).toEqual(['failed']);
  expect(results[0]!.errors.join('\n')).toContain('Fixture option bundleCacheSession is "zoe", but no session of that name is declared in bundleCache.sessions (declared: alice, bob, carol, dave).');
});

test('should add the sessions to the reporter\'s summary line', () => {
  // Warmed: alice, bob, dave once, carol twice; reused: 6 by alice's and bob's tests, 1 by dave's second test.
  expect(summaryLine(run.output)).toMatch(/ from origin; sessions: 5 warmed, 7 reused, 1 rejected; 13 tests in \d+ worker processes$/);
});
