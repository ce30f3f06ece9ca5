import { test, expect } from '@playwright/test';
import fs from 'node:fs/promises';
import { evictToBudget } from '../../../src/disk/evict.js';
import { EntryStore } from '../../../src/disk/entryStore.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { prepareRoot } from '../../../src/disk/root.js';
import { emptyIndex } from '../../../src/disk/indexSchema.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { makeResponse, T0 } from './storeFixtures.js';

test('should evict least recently used entries down to 90% of the budget', async () => {
  const dir = await makeTempDir();
  try {
    await prepareRoot(dir, nodeStoreFs);
    const store = new EntryStore(dir, nodeStoreFs);
    const locks = new LockManager();
    const keys: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = makeResponse(`https://h/bundle${i}.js?v=1`, Buffer.alloc(10_000, i));
      const paths = store.paths(response.meta.key, response.meta.url);
      await store.ensureDir(paths.dir);
      const lock = await locks.acquire(paths.base, 0);
      await store.write(response, lock);
      await lock.release();
      // Last use: bundle0 oldest ... bundle4 newest, except bundle1 which was just used.
      const used = new Date(T0 + (i === 1 ? 10 : i) * 1000);
      await fs.utimes(paths.body, used, used);
      keys.push(response.meta.key);
    }
    const metaSize = (await fs.stat(store.paths(keys[0]!, keys[0]!.slice(4)).meta)).size;
    const entrySize = 10_000 + metaSize;
    const result = await evictToBudget({ root: dir, fs: nodeStoreFs, locks, index: emptyIndex(T0), maxBytes: 4 * entrySize, keep: new Set([keys[0]!]) });
    // 5 entries over a budget of 4: down to 3.6 entries means removing two, skipping the kept bundle0.
    expect(result.evicted.map(entry => entry.key)).toEqual([keys[2], keys[3]]);
    expect(result.totalBytes).toBe(3 * entrySize);
    for (const [i, key] of keys.entries())
      expect((await store.read(key, key.slice(4))).kind, `bundle${i}`).toBe(i === 2 || i === 3 ? 'absent' : 'found');
  } finally {
    await removeDir(dir);
  }
});
