import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { siteCertificate, siteKey } from '../../site/tls.js';
import { startOrigin, ORIGIN_BODIES, type Origin } from './fixtures/origin.js';
import { runCli } from './fixtures/runCli.js';
import { test as base, expect } from './fixtures/test.js';

const test = base.extend<{ origin: Origin }>({
  origin: async ({}, use) => {
    const origin = await startOrigin();
    await use(origin);
    await origin.close();
  },
});

test('should fetch each URL into the cache, then find it fresh, checking the unversioned one with a 304', async ({ dir, origin }) => {
  const urls = [`${origin.url}/main.dart.js?v=1`, `${origin.url}/canvaskit/canvaskit.wasm`];
  const first = await runCli(['warm', ...urls, '--dir', dir]);
  expect(first.code).toBe(0);
  expect(first.stderr).toBe('');
  expect(first.stdout).toMatch(/127\.0\.0\.1:\d+\/main\.dart\.js\?v=1 +fetched +195 KB\n/);
  expect(first.stdout).toContain('fetched 2 (586 KB), already fresh 0 (0 B), not cached 0, failed 0\n');

  const second = await runCli(['warm', ...urls, '--dir', dir, '--json']);
  expect(second.code).toBe(0);
  expect(second.json()).toEqual({
    command: 'warm',
    dir,
    mode: 'fetch',
    items: [
      { url: urls[0], outcome: 'fresh', bytes: ORIGIN_BODIES.main.length, reason: null, revalidated: false },
      { url: urls[1], outcome: 'fresh', bytes: ORIGIN_BODIES.wasm.length, reason: null, revalidated: true },
    ],
    pages: [],
    summary: { fetched: 0, fetchedBytes: 0, fresh: 2, freshBytes: 600_000, revalidated: 1, notCached: 0, failed: 0 },
  });
  expect(origin.hits.get('/main.dart.js?v=1')).toBe(1);
  expect(origin.hits.get('/canvaskit/canvaskit.wasm')).toBe(2);
  const text = await runCli(['warm', ...urls, '--dir', dir]);
  expect(text.stdout).toMatch(/canvaskit\.wasm +fresh \(304\) +391 KB\n/);
  expect(text.stdout).toContain('already fresh 2 (586 KB, 1 after a 304)');
  const status = (await runCli(['status', '--dir', dir, '--json'])).json();
  expect(status.summary).toMatchObject({ entries: 2, fresh: 2, totalBytes: 600_000 });
});

test('should report what could not be cached, and exit 1', async ({ dir, origin }) => {
  const run = await runCli(['warm', `${origin.url}/private/main.dart.js`, `${origin.url}/broken/main.dart.js`, `${origin.url}/index.html`, 'http://127.0.0.1:1/main.dart.js', '--dir', dir, '--json']);
  expect(run.code).toBe(1);
  const warm = run.json();
  expect(warm.items.map((item: { outcome: string }) => item.outcome)).toEqual(['not-stored', 'not-stored', 'not-cacheable', 'failed']);
  expect(warm.items[0].reason).toContain('no-store');
  expect(warm.items[2].reason).toBe('no rule matches this URL');
  expect(warm.summary).toMatchObject({ fetched: 0, notCached: 3, failed: 1 });
  const text = await runCli(['warm', `${origin.url}/index.html`, '--dir', dir]);
  expect(text.code).toBe(1);
  expect(text.stdout).toMatch(/index\.html +not cached +no rule matches this URL\n/);
});

test('should read URLs from a file or stdin, skipping comments and blank lines', async ({ dir, origin }) => {
  const list = path.join(path.dirname(dir), 'urls.txt');
  await writeFile(list, `# bundles of the app\n${origin.url}/main.dart.js?v=2  # current build\n\n${origin.url}/canvaskit/canvaskit.wasm\n`);
  const fromFile = (await runCli(['warm', '--file', list, '--concurrency', '1', '--dir', dir, '--json'])).json();
  expect(fromFile.items.map((item: { url: string }) => item.url)).toEqual([`${origin.url}/main.dart.js?v=2`, `${origin.url}/canvaskit/canvaskit.wasm`]);
  expect(fromFile.summary.fetched).toBe(2);
  const fromStdin = (await runCli(['warm', '--file', '-', '--dir', dir, '--json'], { stdin: `${origin.url}/main.dart.js?v=2\n` })).json();
  expect(fromStdin.summary).toMatchObject({ fresh: 1, fetched: 0 });
});

test('should reject missing and malformed input as bad usage', async ({ dir }) => {
  const none = await runCli(['warm', '--dir', dir]);
  expect(none.code).toBe(2);
  expect(none.stderr).toBe('bundle-cache warm: give the URLs to warm, or --file <urls.txt>\nUsage: bundle-cache warm <url…> | --file <urls.txt> [--concurrency <n>] [--page] [--ignore-https-errors] [--dir <path>] [--json]\n');
  const bad = await runCli(['warm', 'main.dart.js', 'ftp://x/y', '--dir', dir]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('bundle-cache warm: not an http(s) URL: "main.dart.js", "ftp://x/y"\n');
  const concurrency = await runCli(['warm', 'http://x.example/main.dart.js', '--concurrency', '100', '--dir', dir]);
  expect(concurrency.code).toBe(2);
  expect(concurrency.stderr).toContain('--concurrency must be a whole number from 1 to 64 (got "100")');
  const file = await runCli(['warm', '--file', path.join(dir, 'nope.txt'), '--dir', dir]);
  expect(file.code).toBe(2);
  expect(file.stderr).toContain('bundle-cache warm: cannot read --file');
});

test('should say why a fetch failed: a refused connection, an unknown host, a certificate', async ({ dir }) => {
  const closed = createServer();
  await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
  const closedPort = (closed.address() as AddressInfo).port;
  await new Promise(resolve => closed.close(resolve));
  const tls = createHttpsServer({ cert: siteCertificate(), key: siteKey() }, (_, response) => response.end('never read'));
  await new Promise<void>(resolve => tls.listen(0, '127.0.0.1', resolve));
  const urls = [`http://127.0.0.1:${closedPort}/main.dart.js`, 'http://bundle-cache-test.invalid/main.dart.js', `https://127.0.0.1:${(tls.address() as AddressInfo).port}/main.dart.js`];
  try {
    // The dir does not exist yet: warm is the command that creates a cache.
    const run = await runCli(['warm', ...urls, '--dir', dir, '--json']);
    expect(run.code).toBe(1);
    expect(run.json().items.map((item: { outcome: string; reason: string }) => [item.outcome, item.reason])).toEqual([
      ['failed', `fetch failed: connect ECONNREFUSED 127.0.0.1:${closedPort}`],
      ['failed', 'fetch failed: getaddrinfo ENOTFOUND bundle-cache-test.invalid'],
      ['failed', expect.stringMatching(/^fetch failed: .*(self[- ]signed|certificate)/i)],
    ]);
    const text = await runCli(['warm', urls[0]!, '--dir', dir]);
    expect(text.stdout).toMatch(new RegExp(`main\\.dart\\.js +failed +fetch failed: connect ECONNREFUSED 127\\.0\\.0\\.1:${closedPort}\\n`));
  } finally {
    tls.close();
  }
});
