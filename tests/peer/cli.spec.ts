import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';
import { BundleCache } from 'playwright-bundle-cache';
import { originUrl } from './origin.js';

test('should report a warmed entry with the CLI status command', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-cache-peer-cli-'));
  try {
    const cache = await BundleCache.open({ dir });
    const bundle = `${originUrl()}/main.dart.js?v=cli`;
    expect(await cache.warm(bundle)).toMatchObject({ outcome: 'stored' });
    await cache.close();
    // The bin as a user's `npx bundle-cache` runs it: the installed package's, not the repository's.
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'bundle-cache', 'status', '--json', '--dir', dir], { encoding: 'utf8' });
    const status = JSON.parse(stdout) as { summary: { entries: number }; entries: Array<{ url: string }> };
    expect(status.summary.entries).toBe(1);
    expect(status.entries.map(entry => entry.url)).toEqual([bundle]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
