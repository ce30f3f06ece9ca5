import path from 'node:path';
import { test, expect } from '@playwright/test';
import { fingerprintOf, sessionKeyHash, sessionPaths, sessionSlug } from '../../../src/sessions/fingerprint.js';

const root = '/tmp/cache-root';

test('should give each name and each fingerprint its own entry', () => {
  const plain = sessionPaths(root, 'alice', fingerprintOf({}));
  expect(sessionPaths(root, 'alice', fingerprintOf({ viewport: { width: 100, height: 100 } })).file).toBe(plain.file);
  const others = [
    sessionPaths(root, 'bob', fingerprintOf({})),
    sessionPaths(root, 'alice', fingerprintOf({ userAgent: 'Bot/1.0' })),
    sessionPaths(root, 'alice', fingerprintOf({ proxy: { server: 'http://proxy-a:3128' } })),
    sessionPaths(root, 'alice', fingerprintOf({ proxy: { server: 'http://proxy-b:3128', username: 'same' } })),
    sessionPaths(root, 'alice', fingerprintOf({ locale: 'de-DE' })),
    sessionPaths(root, 'alice', fingerprintOf({ timezoneId: 'Europe/Berlin' })),
    sessionPaths(root, 'alice', fingerprintOf({ httpCredentials: { username: 'alice', password: 'x' } })),
  ];
  expect(new Set([plain.file, ...others.map(other => other.file)]).size).toBe(8);
  // The proxy's credentials and the HTTP password do not select an entry; its server and user do.
  expect(sessionPaths(root, 'alice', fingerprintOf({ proxy: { server: 'http://proxy-a:3128', password: 'p' } })).file).toBe(others[2]!.file);
  expect(sessionPaths(root, 'alice', fingerprintOf({ httpCredentials: { username: 'alice', password: 'other' } })).file).toBe(others[6]!.file);
});

test('should not let "a", "b" in one field collide with another split of the same text', () => {
  const a = sessionKeyHash('x', fingerprintOf({ userAgent: 'a', locale: 'b' }));
  const b = sessionKeyHash('x', fingerprintOf({ userAgent: 'ab' }));
  const c = sessionKeyHash('x', fingerprintOf({ userAgent: 'a', timezoneId: 'b' }));
  expect(new Set([a, b, c]).size).toBe(3);
});

test('should name files <slug>-<hash>.json under <root>/sessions', () => {
  const paths = sessionPaths(root, 'alice@example.com', fingerprintOf({}));
  expect(paths.dir).toBe(path.join(root, 'sessions'));
  expect(path.basename(paths.file)).toMatch(/^alice_example.com-[0-9a-f]{32}\.json$/);
  expect(paths.stem + '.json').toBe(paths.file);
});

test('should keep any name inside the sessions directory, short and safe', () => {
  for (const name of ['../../etc/passwd', '..', '.hidden', 'CON', 'nul.txt', 'a/b\\c', 'é'.repeat(300), '🙂', ' ']) {
    const paths = sessionPaths(root, name, fingerprintOf({}));
    expect(path.dirname(paths.file)).toBe(path.join(root, 'sessions'));
    expect(Buffer.byteLength(path.basename(paths.file))).toBeLessThan(100);
    expect(path.basename(paths.file)).toMatch(/^[A-Za-z0-9_][A-Za-z0-9._-]*-[0-9a-f]{32}\.json$/);
  }
  expect(sessionSlug('CON')).toBe('_CON');
  expect(sessionSlug('..')).toBe('_');
});
