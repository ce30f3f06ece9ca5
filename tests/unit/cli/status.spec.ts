import { rm } from 'node:fs/promises';
import path from 'node:path';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

test('should print the header and a table of entries for people', async ({ dir, now, healthy }) => {
  const { code, stdout, stderr } = await runCli(['status', '--dir', dir], { now });
  expect(code).toBe(0);
  expect(stderr).toBe('');
  expect(stdout).toContain(`dir         ${dir}\n`);
  expect(stdout).toContain('format      v1, cache_versions.json ok\n');
  expect(stdout).toContain('entries     5 (fresh 4, expired 1, corrupt 0)\n');
  expect(stdout).toContain('total size  1.9 MB\n');
  expect(stdout).toContain('per host    app.example.com  1.8 MB in 3 entries\n            cdn.example.com  58.6 KB in 2 entries\n');
  expect(stdout).toContain('oldest      cdn.example.com/assets/vendor.3f9a1c2b.js, stored 2d ago\n');
  expect(stdout).toContain('newest      app.example.com/main.dart.js?v=2, stored 5m ago\n');
  expect(stdout).toContain('limits      max age 1d, disk 1.0 GB (0.2% used), memory 100 MB for 5m, mode default\n');
  expect(stdout).not.toContain('to clean');
  const table = stdout.slice(stdout.indexOf('URL '));
  expect(table.split('\n')[0]).toMatch(/^URL +SIZE +AGE +EXPIRES IN +VERSION +FRESHNESS +VALIDATORS +LAST 304 +HITS +LAST HIT$/);
  expect(table).toMatch(/app\.example\.com\/canvaskit\/canvaskit\.wasm +1\.4 MB +2h +23h 57m +— +revalidated +ETag +3m ago +7 +2m ago\n/);
  expect(table).toMatch(/app\.example\.com\/main\.dart\.js\?v=2 +303 KB +5m +23h 55m +2 +immutable +none +— +3 +1m ago\n/);
  // No ETag, no Last-Modified, no version: marked, counted above, and explained under the table.
  expect(table).toMatch(/app\.example\.com\/canvaskit\/canvaskit\.js +87\.9 KB +2h 5m +21h 55m +— +revalidated +none! +— +0 +never\n/);
  expect(stdout).toContain("validators  1 entry has none (87.9 KB; none! below): no ETag, no Last-Modified, no version, so downloaded whole once per run. Fix: serve it with an ETag or Last-Modified, version its URL, or set revalidate: 'never' for its rule\n");
  expect(stdout).toContain('\nnone!: 1 entry has no validators and no version: downloaded whole once per run.');
  expect(table).toMatch(/cdn\.example\.com\/assets\/vendor\.3f9a1c2b\.js +19\.5 KB +2d +expired +3f9a1c2b +immutable +none +— +0 +never\n/);
  expect(healthy.main.url).toBe('https://app.example.com/main.dart.js?v=2');
});

test('should return the same data, complete, as JSON', async ({ dir, now, healthy }) => {
  const run = await runCli(['status', '--dir', dir, '--json'], { now });
  expect(run.code).toBe(0);
  expect(run.stderr).toBe('');
  const status = run.json();
  expect(status).toMatchObject({
    command: 'status',
    dir,
    formatVersion: 1,
    index: { state: 'ok', dropped: 0 },
    summary: {
      entries: 5, fresh: 4, expired: 1, corrupt: 0, totalBytes: 1_960_000,
      hosts: [{ host: 'app.example.com', entries: 3, bytes: 1_900_000 }, { host: 'cdn.example.com', entries: 2, bytes: 60_000 }],
      oldest: { url: healthy.old.url, ageMs: 2 * 86_400_000 },
      newest: { url: healthy.main.url, ageMs: 5 * 60_000 },
    },
    limits: { maxAgeMs: 86_400_000, diskMaxBytes: 1024 ** 3, memoryMaxBytes: 100 * 1024 ** 2, memoryTtlMs: 300_000, mode: 'default' },
    leftovers: { orphans: 0, temps: 0, staleLocks: 0, bytes: 0, items: [] },
    heldLocks: [],
    writing: [],
  });
  const wasm = status.entries.find((entry: { url: string }) => entry.url === healthy.wasm.url);
  expect(wasm).toEqual({
    stem: healthy.wasm.paths.stem,
    host: 'app.example.com',
    key: healthy.wasm.key,
    url: healthy.wasm.url,
    state: 'fresh',
    problem: null,
    size: 1_500_000,
    resource: healthy.wasm.url,
    version: null,
    rule: 'test',
    status: 200,
    sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    storedAt: new Date(now - 2 * 3_600_000).toISOString(),
    expiresAt: new Date(now - 3 * 60_000 + 24 * 3_600_000).toISOString(),
    ageMs: 2 * 3_600_000,
    expiresInMs: 24 * 3_600_000 - 3 * 60_000,
    freshness: {
      kind: 'revalidated',
      validators: { etag: '"wasm-1"', lastModified: null },
      validatedAt: new Date(now - 3 * 60_000).toISOString(),
      freshUntil: new Date(now - 3 * 60_000).toISOString(),
      revalidations: 2,
      lastRevalidatedAt: new Date(now - 3 * 60_000).toISOString(),
      lastRevalidatedAgoMs: 3 * 60_000,
      legacy: false,
      withoutValidators: false,
      freshForTheRun: false,
    },
    hits: 7,
    lastHitAt: new Date(now - 2 * 60_000).toISOString(),
    lastHitAgoMs: 2 * 60_000,
  });
  expect(status.summary.withoutValidators).toEqual({ entries: 1, bytes: 90_000 });
  expect(status.entries.find((entry: { url: string }) => entry.url === healthy.canvaskitJs.url).freshness).toMatchObject({ withoutValidators: true, freshForTheRun: true });
  // Full URLs in JSON, sorted by URL.
  expect(status.entries.map((entry: { url: string }) => entry.url)).toEqual([
    healthy.canvaskitJs.url, healthy.wasm.url, healthy.main.url, healthy.old.url, healthy.font.url,
  ]);
});

test('should count corrupt entries and show what clean would remove', async ({ dir, now, damaged }) => {
  const text = await runCli(['status', '--dir', dir], { now });
  expect(text.code).toBe(0);
  // The truncated font is found by size; the flipped byte in canvaskit.js only by `verify`, which re-hashes.
  expect(text.stdout).toContain('entries     4 (fresh 2, expired 1, corrupt 1)\n');
  expect(text.stdout).toContain('to clean    1 orphan, 1 temp file, 1 stale lock (303 KB): run `bundle-cache clean`\n');
  expect(text.stdout).toMatch(/cdn\.example\.com\/fonts\/Roboto-Regular\.3f9a1c2b\.woff2 +1000 B +20m +corrupt/);
  expect(text.stdout).toContain(`corrupt: ${damaged.font.paths.stem}: body is 1000 bytes, meta.json says 40000\n`);
  expect(text.stdout).toContain('run `bundle-cache verify --fix` to remove corrupt entries\n');

  const status = (await runCli(['status', '--dir', dir, '--json'], { now })).json();
  expect(status.summary).toMatchObject({ entries: 4, fresh: 2, expired: 1, corrupt: 1 });
  expect(status.leftovers.items).toEqual(expect.arrayContaining([
    { kind: 'orphan-body', path: `${damaged.main.paths.stem}.body`, lockBase: damaged.main.paths.base, bytes: 310_000, key: null },
    { kind: 'temp', path: `${damaged.wasm.paths.stem}.body.12345`, lockBase: damaged.wasm.paths.base, bytes: 12, key: null },
    { kind: 'stale-lock', path: `${damaged.wasm.paths.stem}.lock`, lockBase: damaged.wasm.paths.base, bytes: 0, key: null },
  ]));
  expect(status.leftovers).toMatchObject({ orphans: 1, temps: 1, staleLocks: 1, bytes: 310_012 });
  const font = status.entries.find((entry: { url: string }) => entry.url === damaged.font.url);
  expect(font).toMatchObject({ state: 'corrupt', problem: 'body is 1000 bytes, meta.json says 40000', size: 1000 });
});

test('should still report entries when cache_versions.json is lost', async ({ dir, now, healthy }) => {
  await rm(path.join(dir, 'cache_versions.json'));
  const text = await runCli(['status', '--dir', dir], { now });
  expect(text.code).toBe(0);
  expect(text.stdout).toContain('format      v1, cache_versions.json missing (hits unknown; `bundle-cache verify --fix` rebuilds it)\n');
  expect(text.stdout).toContain('entries     5 (fresh 4, expired 1, corrupt 0)\n');
  const status = (await runCli(['status', '--dir', dir, '--json'], { now })).json();
  expect(status.index).toEqual({ state: 'missing', dropped: 0 });
  expect(status.entries.find((entry: { url: string }) => entry.url === healthy.wasm.url).hits).toBe(0);
});

test('should use $BUNDLE_CACHE_DIR and the environment\'s mode like the library', async ({ dir, now, healthy }) => {
  const status = (await runCli(['status', '--json'], { now, env: { BUNDLE_CACHE_DIR: dir, BUNDLE_CACHE_MODE: 'offline' } })).json();
  expect(status.dir).toBe(dir);
  expect(status.summary.entries).toBe(5);
  expect(status.limits.mode).toBe('offline');
  expect(status.entries.map((entry: { url: string }) => entry.url)).toContain(healthy.wasm.url);
});

test('should resolve a relative --dir against the working directory', async ({ dir, now, healthy }) => {
  const status = (await runCli(['status', '--dir', path.basename(dir), '--json'], { now, cwd: path.dirname(dir) })).json();
  expect(status.dir).toBe(dir);
  expect(status.entries.map((entry: { url: string }) => entry.url)).toContain(healthy.wasm.url);
});

test('should reject an invalid $BUNDLE_CACHE_MODE as bad usage', async ({ dir, now }) => {
  const run = await runCli(['status', '--dir', dir], { now, env: { BUNDLE_CACHE_MODE: 'turbo' } });
  expect(run.code).toBe(2);
  expect(run.stderr).toContain('bundle-cache status: BUNDLE_CACHE_MODE="turbo" is not a mode.');
  expect(run.stdout).toBe('');
});
