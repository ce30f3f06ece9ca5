import path from 'node:path';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

test('should show everything about an entry found by URL', async ({ dir, now, healthy }) => {
  const { code, stdout } = await runCli(['show', healthy.main.url, '--dir', dir], { now });
  expect(code).toBe(0);
  expect(stdout).toContain(`entry      ${healthy.main.paths.stem}\n`);
  expect(stdout).toContain('state      fresh\n');
  expect(stdout).toContain('url        https://app.example.com/main.dart.js?v=2\n');
  expect(stdout).toContain('key        GET https://app.example.com/main.dart.js?v=2\n');
  expect(stdout).toContain('resource   https://app.example.com/main.dart.js\n');
  expect(stdout).toContain('version    2\n');
  expect(stdout).toContain('size       303 KB (310000 bytes)\n');
  expect(stdout).toMatch(/sha256 {5}[0-9a-f]{64} \(the body matches\)\n/);
  expect(stdout).toMatch(/stored {5}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(5m ago\)\n/);
  expect(stdout).toMatch(/expires {4}\S+ \S+ UTC \(in 23h 55m\)\n/);
  expect(stdout).toMatch(/hits {7}3, last \S+ \S+ UTC\n/);
  expect(stdout).toContain('freshness  immutable: used until it expires without asking the origin; validators: none\n');
  expect(stdout).toContain(`body       ${healthy.main.paths.body} (310000 bytes)\n`);
  expect(stdout).toContain(`meta       ${healthy.main.paths.meta}\n`);
  expect(stdout).toContain('lock       not held\n');
  expect(stdout).toContain('stored headers:\n  content-type  text/javascript; charset=utf-8\n');
  expect(stdout).toContain('versions of https://app.example.com/main.dart.js:\n');
  expect(stdout).toMatch(/ {2}2 +app\.example\.com\/main\.dart\.js\?v=2 +\S+ \S+ +current\n/);
  expect(stdout).toMatch(/ {2}1 +app\.example\.com\/main\.dart\.js\?v=1 +\S+ \S+ +\S+ \S+ \(after 2h 55m\)\n/);
});

test('should say that an entry without validators is downloaded whole once per run, and the fix', async ({ dir, now, healthy }) => {
  const { code, stdout } = await runCli(['show', healthy.canvaskitJs.url, '--dir', dir], { now });
  expect(code).toBe(0);
  expect(stdout).toContain("freshness  no validators: no ETag, no Last-Modified and no version, so it is downloaded whole once per run (the origin gives no cheaper check). Fix: serve it with an ETag or Last-Modified, version its URL, or set revalidate: 'never' for its rule");
});

test('should return the complete entry as JSON', async ({ dir, now, healthy }) => {
  const show = (await runCli(['show', healthy.wasm.url, '--dir', dir, '--json'], { now })).json();
  expect(show).toMatchObject({
    command: 'show',
    stem: healthy.wasm.paths.stem,
    state: 'fresh',
    problem: null,
    files: {
      body: { path: healthy.wasm.paths.body, bytes: 1_500_000 },
      meta: { path: healthy.wasm.paths.meta, bytes: expect.any(Number) },
      lock: { path: healthy.wasm.paths.lock, state: 'none' },
    },
    meta: { key: healthy.wasm.key, url: healthy.wasm.url, size: 1_500_000, headers: { 'content-type': 'application/wasm', etag: '"wasm-1"' } },
    sha256: { matches: true },
    ageMs: 2 * 3_600_000,
    expiresInMs: 24 * 3_600_000 - 3 * 60_000,
    freshness: { kind: 'revalidated', validators: { etag: '"wasm-1"', lastModified: null }, revalidations: 2, lastRevalidatedAgoMs: 3 * 60_000, legacy: false },
    index: { hits: 7, lastHitAt: new Date(now - 2 * 60_000).toISOString(), stem: healthy.wasm.paths.stem },
    resource: { id: healthy.wasm.url, version: null, history: [] },
  });
  expect(show.sha256.actual).toBe(show.meta.sha256);
});

test('should find an entry by key, by any of its files and by part of its URL', async ({ dir, now, healthy }) => {
  const stemOf = async (target: string, cwd?: string) => (await runCli(['show', target, '--dir', dir, '--json'], { now, cwd })).json().stem;
  expect(await stemOf(healthy.wasm.key)).toBe(healthy.wasm.paths.stem);
  expect(await stemOf(healthy.wasm.paths.meta)).toBe(healthy.wasm.paths.stem);
  expect(await stemOf(healthy.wasm.paths.body)).toBe(healthy.wasm.paths.stem);
  expect(await stemOf(`${healthy.wasm.paths.stem}.body`)).toBe(healthy.wasm.paths.stem);
  expect(await stemOf(path.relative(path.dirname(dir), healthy.wasm.paths.body), path.dirname(dir))).toBe(healthy.wasm.paths.stem);
  expect(await stemOf('canvaskit.wasm')).toBe(healthy.wasm.paths.stem);
  expect(await stemOf('https://app.example.com:443/canvaskit/canvaskit.wasm#frag')).toBe(healthy.wasm.paths.stem);
});

test('should show a corrupt entry with both digests', async ({ dir, now, damaged }) => {
  const text = await runCli(['show', damaged.canvaskitJs.url, '--dir', dir], { now });
  expect(text.code).toBe(0);
  expect(text.stdout).toMatch(/state {6}corrupt: body sha256 is [0-9a-f]{64}, meta\.json says [0-9a-f]{64}\n/);
  expect(text.stdout).toMatch(/sha256 {5}[0-9a-f]{64} \(MISMATCH: the body hashes to [0-9a-f]{64}\)\n/);
  const show = (await runCli(['show', damaged.canvaskitJs.url, '--dir', dir, '--json'], { now })).json();
  expect(show.state).toBe('corrupt');
  expect(show.sha256.matches).toBe(false);
  expect(show.sha256.actual).not.toBe(show.sha256.expected);
});

test('should show a body without meta.json and a stale lock', async ({ dir, now, damaged }) => {
  const orphan = (await runCli(['show', damaged.main.paths.body, '--dir', dir, '--json'], { now })).json();
  expect(orphan).toMatchObject({ state: 'orphan-body', meta: null, files: { body: { bytes: 310_000 }, meta: { bytes: null } } });
  const text = await runCli(['show', damaged.main.paths.body, '--dir', dir], { now });
  expect(text.stdout).toContain('state  orphan: a body without meta.json (a crashed write); `bundle-cache clean` removes it\n');
  const locked = (await runCli(['show', damaged.wasm.url, '--dir', dir, '--json'], { now })).json();
  expect(locked.files.lock.state).toBe('stale');
});

test('should exit 1 when no entry matches, and 2 when the target is ambiguous or missing', async ({ dir, now, healthy }) => {
  const missing = await runCli(['show', 'https://app.example.com/other.js', '--dir', dir], { now });
  expect(missing.code).toBe(1);
  expect(missing.stderr).toBe(`bundle-cache show: no entry for https://app.example.com/other.js in ${dir}\n`);
  const json = await runCli(['show', 'nothing-like-this', '--dir', dir, '--json'], { now });
  expect(json.code).toBe(1);
  expect(json.json()).toEqual({ command: 'show', error: { code: 'ERR_NOT_FOUND', message: `no entry matches "nothing-like-this" in ${dir}` } });
  const ambiguous = await runCli(['show', 'canvaskit', '--dir', dir], { now });
  expect(ambiguous.code).toBe(2);
  expect(ambiguous.stderr).toContain(`"canvaskit" matches 2 entries; give the full URL:\n  ${healthy.canvaskitJs.url}\n  ${healthy.wasm.url}\n`);
  expect(ambiguous.stderr).toContain('Usage: bundle-cache show <url | key | file>');
  const none = await runCli(['show', '--dir', dir], { now });
  expect(none.code).toBe(2);
  expect(none.stderr).toContain('bundle-cache show: which entry? Give its URL, its key or one of its files\n');
});
