import { writeFile } from 'node:fs/promises';
import { BundleCache } from '../../../src/cache/bundleCache.js';
import { LockManager } from '../../../src/disk/locks.js';
import { startOrigin } from './fixtures/origin.js';
import { runCli } from './fixtures/runCli.js';
import { test, expect } from './fixtures/test.js';

test('should report an entry caught between its two renames as being written, not corrupt', async ({ dir, healthy }) => {
  const writer = new LockManager();
  await writer.acquire(healthy.main.paths.base, 0);
  try {
    // The writer has renamed its new body into place; its meta.json still describes the old one.
    await writeFile(healthy.main.paths.body, Buffer.alloc(1234));
    const status = (await runCli(['status', '--dir', dir, '--json'])).json();
    expect(status.summary.corrupt).toBe(0);
    expect(status.writing).toEqual([healthy.main.paths.stem]);
    expect(status.heldLocks).toEqual([`${healthy.main.paths.stem}.lock`]);
    const text = await runCli(['status', '--dir', dir]);
    expect(text.stdout).toContain('busy        1 lock held by a running writer, 1 entry being written\n');
    const verify = await runCli(['verify', '--dir', dir, '--json']);
    expect(verify.json()).toMatchObject({ corrupt: [], writing: [healthy.main.paths.stem] });
  } finally {
    await writer.releaseAll();
  }
  // Without its lock, the same files are a corrupt entry.
  const after = (await runCli(['status', '--dir', dir, '--json'])).json();
  expect(after.summary.corrupt).toBe(1);
});

test('should never see half an entry while another cache rewrites it, nor leave one after clear', async ({ dir }) => {
  const origin = await startOrigin();
  const url = `${origin.url}/growing/main.dart.js`;
  // The CLI reads an existing cache dir only: make it before the first read races the first open().
  await (await BundleCache.open({ dir })).close();
  let writing = true;
  const writes = (async () => {
    try {
      for (let i = 0; i < 12; i++) {
        // Refresh mode refetches what was stored before it opened: a new, differently sized body each time.
        const cache = await BundleCache.open({ dir, mode: 'refresh' });
        expect((await cache.warm(url)).outcome).toBe('stored');
        await cache.close();
      }
    } finally {
      writing = false;
    }
  })();
  let rounds = 0;
  while (writing) {
    const verify = (await runCli(['verify', '--dir', dir, '--json'])).json();
    expect(verify.corrupt).toEqual([]);
    const status = (await runCli(['status', '--dir', dir, '--json'])).json();
    expect(status.summary.corrupt).toBe(0);
    expect(status.leftovers.orphans).toBe(0);
    if (rounds % 3 === 2)
      await runCli(['clear', '--yes', '--dir', dir]);
    rounds++;
  }
  await writes;
  await origin.close();
  expect(rounds).toBeGreaterThan(0);
  const verify = await runCli(['verify', '--fix', '--dir', dir, '--json']);
  expect(verify.json()).toMatchObject({ corrupt: [], leftovers: { orphans: 0, temps: 0, staleLocks: 0 } });
});
