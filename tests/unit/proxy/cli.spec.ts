import { test, expect } from '@playwright/test';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startSite } from '../../site/server.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { viaProxy } from './harness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** `bundle-cache proxy` as a process (through tsx), its first stdout line parsed. */
async function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), 'proxy', ...args], { cwd: root, env: { ...process.env, BUNDLE_CACHE_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr.on('data', chunk => stderr += chunk);
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', line => {
      lines.push(line);
      if (lines.length === 1)
        resolve(line);
    });
    child.once('exit', code => reject(new Error(`exited ${code}: ${stderr}`)));
  });
  const exited = new Promise<number | null>(resolve => child.once('exit', resolve));
  /** Everything after the first line. */
  const stdout = () => lines.slice(1).map(line => `${line}\n`).join('');
  return { child, first, exited, stdout, stderr: () => stderr };
}

test('should run until SIGINT, print how to use it, then finish, close the cache and print a summary', async () => {
  const dir = await makeTempDir();
  const site = await startSite();
  try {
    // Rules from a config file: only .wasm files.
    const config = path.join(dir, 'bundle-cache.config.mjs');
    await writeFile(config, 'export default { rules: [/\\.wasm$/], maxAge: "1h" };\n');
    const cli = await startCli(['--port', '0', '--json', '--dir', path.join(dir, 'cache'), '--config', config]);
    const listening = JSON.parse(cli.first);
    expect(listening).toMatchObject({ event: 'listening', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), spkiSha256: expect.stringMatching(/=$/) });
    expect(listening.chromiumArgs).toContain(`--ignore-certificate-errors-spki-list=${listening.spkiSha256}`);
    expect(cli.first).not.toContain('PRIVATE KEY');
    for (let i = 0; i < 2; i++) {
      expect((await viaProxy(listening.url, `${site.origin}/canvaskit/canvaskit.wasm`)).status).toBe(200);
      expect((await viaProxy(listening.url, `${site.origin}/main.dart.js?v=1`)).status).toBe(200);
    }
    expect(site.hits('/canvaskit/canvaskit.wasm')).toBe(1);
    expect(site.hits('/main.dart.js')).toBe(2);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
    const summary = JSON.parse(cli.stdout());
    expect(summary).toMatchObject({ command: 'proxy', signal: 'SIGINT', cache: { misses: 1, memoryHits: 1, bypassed: 2 }, proxy: { requests: 4, fromCache: 2, passedThrough: 2 } });
    expect(cli.stderr()).toContain('SIGINT: letting requests in flight finish');
  } finally {
    await site.close();
    await removeDir(dir);
  }
});

test('should print the address and the browser flags as text, and refuse a port in use', async () => {
  const dir = await makeTempDir();
  try {
    const cli = await startCli(['--port', '0', '--dir', dir]);
    expect(cli.first).toMatch(/^bundle-cache proxy listening on http:\/\/127\.0\.0\.1:\d+/);
    const port = /:(\d+)/.exec(cli.first)![1]!;
    const second = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/bin.ts'), 'proxy', '--port', port, '--dir', dir], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    second.stderr.on('data', chunk => stderr += chunk);
    expect(await new Promise(resolve => second.once('exit', resolve))).toBe(1);
    expect(stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.stdout()).toContain('--ignore-certificate-errors-spki-list=');
    expect(cli.stdout()).toContain('bundle-cache proxy stopped (SIGTERM)');
  } finally {
    await removeDir(dir);
  }
});
