import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { formatTime } from '../../../src/cli/format/duration.js';
import { HOUR, MINUTE } from './fixtures/cache.js';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

test('should print each resource with its versions, newest first', async ({ dir, now, healthy }) => {
  const { code, stdout } = await runCli(['versions', '--dir', dir], { now });
  expect(code).toBe(0);
  const t = (ms: number) => formatTime(new Date(ms).toISOString());
  expect(stdout).toContain([
    'https://app.example.com/main.dart.js  (2 versions)',
    '  VERSION  URL                               FIRST SEEN (UTC)     SUPERSEDED (UTC)',
    `  2        app.example.com/main.dart.js?v=2  ${t(now - 5 * MINUTE)}  current`,
    `  1        app.example.com/main.dart.js?v=1  ${t(now - 3 * HOUR)}  ${t(now - 5 * MINUTE)} (after 2h 55m)`,
  ].join('\n'));
  expect(stdout).toContain('https://cdn.example.com/assets/vendor.*.js  (1 version)\n');
  expect(stdout.match(/^https:\/\//gm)).toHaveLength(5);
  expect(healthy.main.url).toMatch(/v=2$/);
});

test('should return the history as JSON', async ({ dir, now, healthy }) => {
  const versions = (await runCli(['versions', '--dir', dir, '--json'], { now })).json();
  expect(versions).toMatchObject({ command: 'versions', index: { state: 'ok', dropped: 0 }, filter: null });
  expect(versions.resources.map((resource: { id: string }) => resource.id)).toEqual([
    'https://app.example.com/canvaskit/canvaskit.js',
    'https://app.example.com/canvaskit/canvaskit.wasm',
    'https://app.example.com/main.dart.js',
    'https://cdn.example.com/assets/vendor.*.js',
    'https://cdn.example.com/fonts/Roboto-Regular.*.woff2',
  ]);
  expect(versions.resources[2]).toEqual({
    id: 'https://app.example.com/main.dart.js',
    version: '2',
    url: healthy.main.url,
    key: healthy.main.key,
    firstSeen: new Date(now - 5 * MINUTE).toISOString(),
    lastSeen: new Date(now - 5 * MINUTE).toISOString(),
    multiVersion: false,
    cached: true,
    history: [{ version: '1', url: 'https://app.example.com/main.dart.js?v=1', firstSeen: new Date(now - 3 * HOUR).toISOString(), supersededAt: new Date(now - 5 * MINUTE).toISOString() }],
  });
});

test('should select a resource by id, by a URL of any version, or by part of it', async ({ dir, now, healthy }) => {
  const ids = async (filter: string) => (await runCli(['versions', filter, '--dir', dir, '--json'], { now })).json().resources.map((resource: { id: string }) => resource.id);
  expect(await ids('https://app.example.com/main.dart.js')).toEqual(['https://app.example.com/main.dart.js']);
  expect(await ids('https://app.example.com/main.dart.js?v=77')).toEqual(['https://app.example.com/main.dart.js']);
  expect(await ids('main.dart')).toEqual(['https://app.example.com/main.dart.js']);
  expect(await ids('canvaskit')).toEqual(['https://app.example.com/canvaskit/canvaskit.js', 'https://app.example.com/canvaskit/canvaskit.wasm']);
  const none = await runCli(['versions', 'nope.js', '--dir', dir], { now });
  expect(none.code).toBe(1);
  expect(none.stderr).toContain('bundle-cache versions: no resource matches "nope.js"');
  expect(healthy.wasm.url).toContain('canvaskit');
});

test('should say when cache_versions.json is lost and show what the entries tell', async ({ dir, now, damaged }) => {
  await rm(path.join(dir, 'cache_versions.json'));
  const text = await runCli(['versions', '--dir', dir], { now });
  expect(text.code).toBe(0);
  expect(text.stdout.split('\n')[0]).toBe('cache_versions.json is missing: versions below are rebuilt from the entries, without history; `bundle-cache verify --fix` writes it back.');
  // main.dart.js lost its meta.json (damage), so nothing tells of it any more.
  expect(text.stdout).not.toContain('main.dart.js');
  const versions = (await runCli(['versions', '--dir', dir, '--json'], { now })).json();
  expect(versions.index.state).toBe('missing');
  expect(versions.resources.every((resource: { history: unknown[] }) => resource.history.length === 0)).toBe(true);
  expect(damaged.main.paths.meta).toContain(dir);
});

test('should mark a resource whose current version is no longer cached', async ({ dir, now, healthy }) => {
  await runCli(['clear', '--host', 'app.example.com', '--yes', '--dir', dir], { now });
  const text = await runCli(['versions', 'main.dart.js', '--dir', dir], { now });
  expect(text.stdout.split('\n')[0]).toBe('https://app.example.com/main.dart.js  (2 versions, current version not cached)');
  expect(healthy.main.key).toContain('main.dart.js');
});

test('should print a note for a cache without versions', async ({ dir, now }) => {
  await mkdir(dir);
  const text = await runCli(['versions', '--dir', dir], { now });
  expect(text).toMatchObject({ code: 0, stdout: `no versions recorded in ${dir} yet\n` });
});
