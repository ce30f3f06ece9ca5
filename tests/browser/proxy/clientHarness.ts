import { expect } from '@playwright/test';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { FlutterReport } from '../../site/report.js';
import { startSite } from '../../site/server.js';
import type { Site } from '../../site/site.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const siteCertificatePath = path.join(root, 'tests/site/certs/cert.pem');
export const python = path.join(root, '.venv/bin/python');

/** What a client gets to reach the proxy, and the Chromium flags any headless Chromium as root needs. */
export interface ClientSetup {
  readonly proxy: string;
  readonly spkiSha256: string;
  /** The Flutter page on http and on https, with `?hash=1` so each page reports the digests of what ran. */
  readonly urls: readonly string[];
  /** `--proxy-server`, loopback through it, the CA's SPKI, headless, and what root and a quiet machine need. */
  readonly chromiumArgs: readonly string[];
}

/**
 * Starts the Flutter site on http and https and `bundle-cache proxy` as a
 * process (verifying the https origin through NODE_EXTRA_CA_CERTS, as a user
 * with a staging CA does), lets `client` load the pages twice, stops the
 * proxy with SIGINT, and checks: every load ran and drew, the second ran
 * the very bytes of the first, and the origins sent each bundle's body once.
 */
export async function expectTwoLoadsThroughProxy(client: (setup: ClientSetup) => Promise<FlutterReport[]>): Promise<void> {
  const dir = await makeTempDir('bundle-cache-clients-');
  const sites: Site[] = [await startSite({ layout: 'flutter' }), await startSite({ layout: 'flutter', https: true })];
  const proxy = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), 'proxy', '--port', '0', '--json', '--dir', dir], {
    cwd: root, env: { ...process.env, NODE_EXTRA_CA_CERTS: siteCertificatePath, BUNDLE_CACHE_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const lines = stdoutLines(proxy);
    const listening = JSON.parse(await lines.next()) as { url: string; spkiSha256: string; chromiumArgs: string[] };
    const setup: ClientSetup = {
      proxy: listening.url,
      spkiSha256: listening.spkiSha256,
      urls: sites.map(site => `${site.pageUrl}?hash=1`),
      chromiumArgs: [...listening.chromiumArgs, '--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu'],
    };
    const reports = await client(setup);
    expect(reports).toHaveLength(4);
    for (const [i, report] of reports.entries()) {
      expect(report.error, `load ${i}`).toBeNull();
      expect(report.main.matched, `load ${i}`).toBe(true);
      expect(report.canvaskit.drew, `load ${i}`).toBe(true);
    }
    // Load 2 ran what load 1 ran, byte for byte (digests of every bundle by URL), on each site.
    expect(reports[2]!.hashes).toEqual(reports[0]!.hashes);
    expect(reports[3]!.hashes).toEqual(reports[1]!.hashes);
    for (const site of sites) {
      expect(reports.some(report => report.hashes['/main.dart.js'] === site.sha256('/main.dart.js'))).toBe(true);
      // The second load downloaded no bundle body: each was sent once (a check the page asks for is a bodiless 304).
      for (const [origin, pathname] of [[site, '/main.dart.js'], [site.cdn, canvaskitPath(site, 'canvaskit.wasm')], [site.cdn, canvaskitPath(site, 'canvaskit.js')]] as const) {
        const { 200: bodies, 304: _, ...others } = origin.responses(pathname);
        expect({ bodies, others }, `${origin.origin}${pathname}`).toEqual({ bodies: 1, others: {} });
      }
    }
    proxy.kill('SIGINT');
    const summary = JSON.parse(await lines.rest()) as { cache: { misses: number; memoryHits: number; diskHits: number; errors: number } };
    expect(summary.cache).toMatchObject({ misses: 6, errors: 0 });
    expect(summary.cache.memoryHits + summary.cache.diskHits).toBeGreaterThanOrEqual(6);
  } finally {
    proxy.kill('SIGKILL');
    await Promise.all(sites.map(site => site.close()));
    await removeDir(dir);
  }
}

function canvaskitPath(site: Site, file: string): string {
  const base = new URL(site.cdn.canvaskitBaseUrl);
  return `${base.pathname}${file}`;
}

/** The proxy's stdout as its first line, then everything after it once it exits. */
function stdoutLines(child: ChildProcess): { next(): Promise<string>; rest(): Promise<string> } {
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', chunk => stderr += chunk);
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()));
  const first = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', line => {
      lines.push(line);
      if (lines.length === 1)
        resolve(line);
    });
    void exited.then(() => reject(new Error(`bundle-cache proxy exited before it listened: ${stderr}`)));
  });
  return { next: () => first, rest: async () => (await exited, lines.slice(1).join('\n')) };
}

/** Runs a Python client script from the checkout's virtual environment; its stdout is the reports. */
export async function runPython(script: string, config: Record<string, unknown>): Promise<FlutterReport[]> {
  if (!existsSync(python))
    throw new Error(`${python} is missing. Fix: bash .ci/run makes it, or python3 -m venv .venv && .venv/bin/pip install playwright selenium`);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(python, [path.join(root, 'tests/clients', script), JSON.stringify(config)], { cwd: root, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 },
        (error, out, err) => error ? reject(new Error(`${script} failed: ${error.message}\n${err}`)) : resolve(out));
  });
  return JSON.parse(stdout) as FlutterReport[];
}
