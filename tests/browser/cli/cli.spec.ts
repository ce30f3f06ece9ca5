import { test, expect, visit, expectWorkingApp, bundleHits } from '../cache/fixtures.js';
import { runCli } from '../../unit/cli/fixtures/runCli.js';

test('should warm every bundle a page pulls with --page, then find them fresh', async ({ site, cacheDir }) => {
  const first = await runCli(['warm', '--page', site.pageUrl, '--dir', cacheDir, '--json']);
  expect(first.stderr).toBe('');
  expect(first.code).toBe(0);
  const warmed = first.json();
  expect(warmed.pages).toEqual([{ url: site.pageUrl, ok: true, status: 200, error: null }]);
  expect(warmed.items.map((item: { url: string; outcome: string }) => `${item.outcome} ${new URL(item.url).pathname}${new URL(item.url).search}`).sort()).toEqual([
    'stored /canvaskit/canvaskit.js', 'stored /canvaskit/canvaskit.wasm', 'stored /main.dart.js?v=1',
  ]);
  const bundleBytes = ['/main.dart.js', '/canvaskit/canvaskit.js', '/canvaskit/canvaskit.wasm'].reduce((sum, path) => sum + site.body(path).length, 0);
  expect(warmed.summary).toEqual({ fetched: 3, fetchedBytes: bundleBytes, fresh: 0, freshBytes: 0, revalidated: 0, notCached: 0, failed: 0 });

  const again = await runCli(['warm', '--page', site.pageUrl, '--dir', cacheDir]);
  expect(again.code).toBe(0);
  expect(again.stdout).toContain(`page ${site.pageUrl.replace('http://', '')}: loaded (200)\n`);
  expect(again.stdout).toMatch(/fetched 0 \(0 B\), already fresh 3 \(12\.\d MB\), not cached 0, failed 0\n/);
  expect(bundleHits(site)).toEqual({ '/main.dart.js': 1, '/canvaskit/canvaskit.js': 1, '/canvaskit/canvaskit.wasm': 1 });
});

test('should report pages that fail to load, and exit 1', async ({ site, cacheDir }) => {
  const run = await runCli(['warm', '--page', `${site.origin}/missing.html`, 'http://127.0.0.1:1/', '--dir', cacheDir, '--json']);
  expect(run.code).toBe(1);
  const warmed = run.json();
  expect(warmed.pages).toEqual([
    { url: `${site.origin}/missing.html`, ok: false, status: 404, error: 'HTTP 404' },
    { url: 'http://127.0.0.1:1/', ok: false, status: null, error: expect.stringMatching(/^net::ERR_[A-Z_]+ at http:\/\/127\.0\.0\.1:1\//) },
  ]);
  expect(warmed.summary.failed).toBe(2);
  const text = await runCli(['warm', '--page', `${site.origin}/missing.html`, '--dir', cacheDir]);
  expect(text.stdout).toContain(`page ${site.origin.replace('http://', '')}/missing.html: failed: HTTP 404\n`);
  expect(text.stdout).toContain('the pages pulled no bundle that the cache rules match\n');
});

test('should show hits counted across runs, and the version history after a deploy', async ({ browser, site, openCache, cacheDir }) => {
  const firstRun = await openCache();
  await visit(browser, firstRun, site.pageUrl);
  await visit(browser, firstRun, site.pageUrl);
  await firstRun.close();
  const secondRun = await openCache();
  expectWorkingApp(await visit(browser, secondRun, site.pageUrl), site);
  await secondRun.close();

  const status = (await runCli(['status', '--dir', cacheDir, '--json'])).json();
  expect(status.summary).toMatchObject({ entries: 3, fresh: 3, corrupt: 0 });
  // Visit 1 fetched; visit 2 hit memory; visit 3, in a new cache, hit disk. Flushed at close, summed across runs.
  for (const entry of status.entries) {
    expect(entry.hits).toBe(2);
    expect(entry.lastHitAt).not.toBeNull();
  }

  site.setVersion(2);
  const deployed = await openCache();
  expectWorkingApp(await visit(browser, deployed, site.pageUrl), site, 2);
  await deployed.close();

  const versions = (await runCli(['versions', 'main.dart.js', '--dir', cacheDir, '--json'])).json();
  expect(versions.resources).toHaveLength(1);
  expect(versions.resources[0]).toMatchObject({ id: `${site.origin}/main.dart.js`, version: '2', cached: true });
  expect(versions.resources[0].history).toEqual([expect.objectContaining({ version: '1', url: `${site.origin}/main.dart.js?v=1` })]);
  const text = await runCli(['versions', 'main.dart.js', '--dir', cacheDir]);
  expect(text.stdout).toMatch(/\n {2}2 +\S+\/main\.dart\.js\?v=2 +\S+ \S+ +current\n {2}1 +\S+\/main\.dart\.js\?v=1 +\S+ \S+ +\S+ \S+ \(after \d/);
  // The superseded build is gone from disk; the new one has not been hit yet.
  const list = (await runCli(['list', '--dir', cacheDir, '--json'])).json();
  expect(list.entries.map((entry: { url: string; hits: number }) => `${new URL(entry.url).pathname}${new URL(entry.url).search} ${entry.hits}`).sort()).toEqual([
    '/canvaskit/canvaskit.js 3', '/canvaskit/canvaskit.wasm 3', '/main.dart.js?v=2 0',
  ]);
  expect((await runCli(['verify', '--dir', cacheDir])).code).toBe(0);
});
