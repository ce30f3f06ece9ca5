import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readIndexFile } from './fixtures/cache.js';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

const exists = (file: string) => stat(file).then(() => true, () => false);

test('should find nothing wrong with a healthy cache', async ({ dir, now, healthy }) => {
  const run = await runCli(['verify', '--dir', dir], { now });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toBe('checked 5 entries (1.9 MB): meta.json, key, size and sha256\nno problems found\n');
  const json = (await runCli(['verify', '--dir', dir, '--json'], { now })).json();
  expect(json).toMatchObject({ command: 'verify', fix: false, checked: 5, bytesChecked: 1_960_000, corrupt: [], problems: 0, unfixed: 0, index: { state: 'ok', problems: [], rebuilt: false } });
  expect(healthy.wasm.key).toBeTruthy();
});

test('should re-hash bodies, report corrupt entries and a wrong index, and exit 1', async ({ dir, now, damaged }) => {
  const run = await runCli(['verify', '--dir', dir], { now });
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(new RegExp(`corrupt: ${escape(damaged.canvaskitJs.url)}: body sha256 is [0-9a-f]{64}, meta\\.json says [0-9a-f]{64}\\n`));
  expect(run.stdout).toContain(`corrupt: ${damaged.font.url}: body is 1000 bytes, meta.json says 40000\n`);
  expect(run.stdout).toContain(`index: cache_versions.json lists ${damaged.main.url}, which is not in the cache\n`);
  expect(run.stdout).toContain('note: 1 orphan, 1 temp file, 1 stale lock left over; `bundle-cache clean` removes them\n');
  expect(run.stdout).toContain('3 problems found; run `bundle-cache verify --fix` to fix them\n');

  const json = (await runCli(['verify', '--dir', dir, '--json'], { now })).json();
  expect(json).toMatchObject({ fix: false, problems: 3, unfixed: 3, leftovers: { orphans: 1, temps: 1, staleLocks: 1 } });
  expect(json.corrupt).toEqual([
    { stem: damaged.canvaskitJs.paths.stem, url: damaged.canvaskitJs.url, problem: expect.stringMatching(/^body sha256 is/), fixed: false, notFixedReason: null },
    { stem: damaged.font.paths.stem, url: damaged.font.url, problem: 'body is 1000 bytes, meta.json says 40000', fixed: false, notFixedReason: null },
  ]);
  // Reporting changes nothing.
  expect(await exists(damaged.canvaskitJs.paths.body)).toBe(true);
});

test('should remove corrupt entries and rebuild the index with --fix, keeping history and hits', async ({ dir, now, damaged }) => {
  const run = await runCli(['verify', '--fix', '--dir', dir], { now });
  expect(run.code).toBe(0);
  expect(run.stdout).toContain(`corrupt: ${damaged.font.url}: body is 1000 bytes, meta.json says 40000 [removed]\n`);
  expect(run.stdout).toContain(`index: cache_versions.json lists ${damaged.main.url}, which is not in the cache [rebuilt]\n`);
  expect(run.stdout).toContain('fixed 3 problems\n');
  expect(await exists(damaged.canvaskitJs.paths.meta)).toBe(false);
  expect(await exists(damaged.font.paths.body)).toBe(false);

  const index = await readIndexFile(dir);
  expect(Object.keys(index.entries).sort()).toEqual([damaged.wasm.key, damaged.old.key].sort());
  expect(index.entries[damaged.wasm.key]!.hits).toBe(7);
  expect(index.resources['https://app.example.com/main.dart.js']!.history).toHaveLength(1);

  const again = await runCli(['verify', '--dir', dir], { now });
  expect(again.code).toBe(0);
  expect(again.stdout).toContain('no problems found\n');
});

test('should report a lost cache_versions.json and write it back with --fix', async ({ dir, now, healthy }) => {
  await rm(path.join(dir, 'cache_versions.json'));
  const run = await runCli(['verify', '--dir', dir], { now });
  expect(run.code).toBe(1);
  expect(run.stdout).toContain('index: cache_versions.json is missing\n');
  expect(run.stdout).toContain('1 problem found; run `bundle-cache verify --fix` to fix them\n');
  const fixed = await runCli(['verify', '--fix', '--dir', dir, '--json'], { now });
  expect(fixed.code).toBe(0);
  expect(fixed.json()).toMatchObject({ problems: 1, unfixed: 0, index: { state: 'missing', problems: ['cache_versions.json is missing'], rebuilt: true } });
  expect(Object.keys((await readIndexFile(dir)).entries)).toHaveLength(5);
  expect((await runCli(['verify', '--dir', dir], { now })).code).toBe(0);
  expect(healthy.old.key).toBeTruthy();
});

test('should report an index that is not JSON, and records that disagree with meta.json', async ({ dir, now, healthy }) => {
  const file = path.join(dir, 'cache_versions.json');
  const index = JSON.parse(await readFile(file, 'utf8'));
  index.entries[healthy.wasm.key].size = 1;
  delete index.entries[healthy.font.key];
  index.entries['GET https://gone.example.com/x.wasm'] = { ...index.entries[healthy.old.key], url: 'https://gone.example.com/x.wasm' };
  await writeFile(file, JSON.stringify(index));
  const json = (await runCli(['verify', '--dir', dir, '--json'], { now })).json();
  expect(json.index.problems.sort()).toEqual([
    `cache_versions.json describes ${healthy.wasm.url} differently from its meta.json`,
    `cache_versions.json does not list ${healthy.font.url}`,
    'cache_versions.json lists https://gone.example.com/x.wasm, which is not in the cache',
  ]);
  await writeFile(file, '{ not json');
  const broken = await runCli(['verify', '--dir', dir], { now });
  expect(broken.code).toBe(1);
  expect(broken.stdout).toContain('index: cache_versions.json is not a valid index\n');
  expect((await runCli(['verify', '--fix', '--dir', dir], { now })).code).toBe(0);
  expect(Object.keys((await readIndexFile(dir)).entries)).toHaveLength(5);
});

test('should report a meta.json whose body is gone as a broken entry', async ({ dir, now, healthy }) => {
  await rm(healthy.wasm.paths.body);
  const json = (await runCli(['verify', '--dir', dir, '--json'], { now })).json();
  expect(json.corrupt).toEqual([{ stem: healthy.wasm.paths.stem, url: healthy.wasm.url, problem: 'body is missing', fixed: false, notFixedReason: null }]);
  expect(json.index.problems).toEqual([]);
  const fixed = await runCli(['verify', '--fix', '--dir', dir], { now });
  expect(fixed.code).toBe(0);
  expect(await exists(healthy.wasm.paths.meta)).toBe(false);
  expect(Object.keys((await readIndexFile(dir)).entries)).not.toContain(healthy.wasm.key);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
