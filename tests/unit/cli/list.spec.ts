import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

const urlsOf = (result: { entries: Array<{ url: string }> }) => result.entries.map(entry => entry.url);

test('should list entries by URL as a table', async ({ dir, now, healthy }) => {
  const { code, stdout } = await runCli(['list', '--dir', dir], { now });
  expect(code).toBe(0);
  const lines = stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^URL +SIZE +AGE +EXPIRES IN +VERSION +FRESHNESS +VALIDATORS +LAST 304 +HITS +LAST HIT$/);
  expect(lines.slice(1).map(line => line.split(' ')[0])).toEqual([
    'app.example.com/canvaskit/canvaskit.js',
    'app.example.com/canvaskit/canvaskit.wasm',
    'app.example.com/main.dart.js?v=2',
    'cdn.example.com/assets/vendor.3f9a1c2b.js',
    'cdn.example.com/fonts/Roboto-Regular.3f9a1c2b.woff2',
  ]);
  expect(healthy.main.url).toContain(lines[3]!.split(' ')[0]!);
  // No ETag, no Last-Modified, no version: marked.
  expect(lines[1]).toMatch(/ revalidated +none! /);
  expect(lines[2]).toMatch(/ revalidated +ETag /);
});

test('should sort by size, age and hits, and limit', async ({ dir, now, healthy }) => {
  const bySize = (await runCli(['list', '--dir', dir, '--json', '--sort', 'size', '--limit', '2'], { now })).json();
  expect(urlsOf(bySize)).toEqual([healthy.wasm.url, healthy.main.url]);
  expect(bySize).toMatchObject({ command: 'list', matched: 5, filters: { sort: 'size', limit: 2, expired: false } });
  const byAge = (await runCli(['list', '--dir', dir, '--json', '--sort', 'age'], { now })).json();
  expect(urlsOf(byAge)).toEqual([healthy.old.url, healthy.canvaskitJs.url, healthy.wasm.url, healthy.font.url, healthy.main.url]);
  const byHits = (await runCli(['list', '--dir', dir, '--json', '--sort', 'hits', '--limit', '2'], { now })).json();
  expect(urlsOf(byHits)).toEqual([healthy.wasm.url, healthy.main.url]);

  const text = await runCli(['list', '--dir', dir, '--sort', 'size', '--limit', '2'], { now });
  expect(text.stdout.trimEnd().split('\n')).toHaveLength(4);
  expect(text.stdout).toContain('… 3 more entries (--limit 2)\n');
});

test('should filter by host, with or without port, and by expiry', async ({ dir, now, healthy }) => {
  const cdn = (await runCli(['list', '--dir', dir, '--json', '--host', 'cdn.example.com'], { now })).json();
  expect(urlsOf(cdn)).toEqual([healthy.old.url, healthy.font.url]);
  const pasted = (await runCli(['list', '--dir', dir, '--json', '--host', 'https://CDN.example.com/whatever'], { now })).json();
  expect(urlsOf(pasted)).toEqual(urlsOf(cdn));
  const expired = (await runCli(['list', '--dir', dir, '--json', '--expired'], { now })).json();
  expect(urlsOf(expired)).toEqual([healthy.old.url]);
  expect(expired.entries[0]).toMatchObject({ state: 'expired', expiresInMs: -86_400_000 });
  const none = await runCli(['list', '--dir', dir, '--host', 'other.example.com'], { now });
  expect(none).toMatchObject({ code: 0, stdout: 'no entries match\n' });
});

test('should list corrupt entries with the reason', async ({ dir, now, damaged }) => {
  const { stdout } = await runCli(['list', '--dir', dir, '--host', 'cdn.example.com'], { now });
  expect(stdout).toContain(`\ncorrupt: ${damaged.font.paths.stem}: body is 1000 bytes, meta.json says 40000\n`);
});

test('should reject bad flag values with the usage line', async ({ dir }) => {
  const sort = await runCli(['list', '--dir', dir, '--sort', 'name']);
  expect(sort.code).toBe(2);
  expect(sort.stderr).toBe(
      'bundle-cache list: --sort must be one of size, age, hits (got "name")\n' +
      'Usage: bundle-cache list [--host <host>] [--expired] [--sort size|age|hits] [--limit <n>] [--dir <path>] [--json]\n');
  const limit = await runCli(['list', '--dir', dir, '--limit', '0']);
  expect(limit.code).toBe(2);
  expect(limit.stderr).toContain('--limit must be a whole number from 1 to');
  const extra = await runCli(['list', 'cdn.example.com', '--dir', dir]);
  expect(extra.code).toBe(2);
  expect(extra.stderr).toContain('bundle-cache list: unexpected argument "cdn.example.com"');
});
