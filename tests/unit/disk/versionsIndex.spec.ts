import { test, expect } from '@playwright/test';
import fs from 'node:fs/promises';
import path from 'node:path';
import { applyStored, VersionsIndex } from '../../../src/disk/versionsIndex.js';
import { emptyIndex, parseIndex } from '../../../src/disk/indexSchema.js';
import { EntryStore } from '../../../src/disk/entryStore.js';
import { LockManager } from '../../../src/disk/locks.js';
import { nodeStoreFs } from '../../../src/disk/storeFs.js';
import { prepareRoot } from '../../../src/disk/root.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { makeResponse, T0 } from './storeFixtures.js';

const HOUR = 3_600_000;

test.describe('applyStored', () => {
  test('should record a new resource without history', () => {
    const data = emptyIndex(T0);
    const { meta } = makeResponse('https://h/main.dart.js?v=1', 'a');
    expect(applyStored(data, meta, 'v1/h/x', T0)).toEqual([]);
    expect(data.resources['https://h/main.dart.js']).toMatchObject({ version: '1', key: meta.key, history: [] });
    expect(data.entries[meta.key]).toMatchObject({ stem: 'v1/h/x', size: 1, hits: 0 });
  });

  test('should supersede the old version with a history line', () => {
    const data = emptyIndex(T0);
    const v1 = makeResponse('https://h/main.dart.js?v=1', 'a').meta;
    const v2 = makeResponse('https://h/main.dart.js?v=2', 'b', T0 + HOUR).meta;
    applyStored(data, v1, 's1', T0);
    expect(applyStored(data, v2, 's2', T0 + HOUR)).toEqual([{ key: v1.key, url: v1.url, version: '1' }]);
    expect(Object.keys(data.entries)).toEqual([v2.key]);
    expect(data.resources['https://h/main.dart.js']).toMatchObject({
      version: '2',
      history: [{ version: '1', url: v1.url, firstSeen: v1.storedAt, supersededAt: new Date(T0 + HOUR).toISOString() }],
    });
  });

  test('should keep both when a superseded version comes back', () => {
    const data = emptyIndex(T0);
    const v1 = makeResponse('https://h/assets/index-AAAA1111.js', 'a').meta;
    const v2 = makeResponse('https://h/assets/index-BBBB2222.js', 'b').meta;
    applyStored(data, v1, 's1', T0);
    applyStored(data, v2, 's2', T0);
    expect(applyStored(data, v1, 's1', T0)).toEqual([]);
    expect(data.resources['https://h/assets/index-*.js']!.multiVersion).toBe(true);
    expect(applyStored(data, v2, 's2', T0)).toEqual([]);
    expect(Object.keys(data.entries).sort()).toEqual([v1.key, v2.key].sort());
  });

  test('should only refresh timestamps when the same version is stored again', () => {
    const data = emptyIndex(T0);
    const first = makeResponse('https://h/a.js?v=1', 'a').meta;
    const again = makeResponse('https://h/a.js?v=1', 'a', T0 + HOUR).meta;
    applyStored(data, first, 's', T0);
    expect(applyStored(data, again, 's', T0 + HOUR)).toEqual([]);
    expect(data.resources['https://h/a.js']).toMatchObject({ firstSeen: first.storedAt, lastSeen: again.storedAt, history: [] });
  });
});

test('should skip a corrupt record instead of losing the index', () => {
  const data = emptyIndex(T0);
  applyStored(data, makeResponse('https://h/a.js?v=1', 'a').meta, 's', T0);
  const json = JSON.parse(JSON.stringify(data));
  json.entries['GET https://h/broken'] = { stem: 42 };
  const parsed = parseIndex(JSON.stringify(json))!;
  expect(parsed.dropped).toBe(1);
  expect(Object.keys(parsed.data.entries)).toEqual(['GET https://h/a.js?v=1']);
  expect(parseIndex('garbage')).toBeUndefined();
  expect(parseIndex('{"formatVersion": 2, "resources": {}, "entries": {}}')).toBeUndefined();
});

test('should rebuild the index from the sidecars when it is lost or garbage', async () => {
  const dir = await makeTempDir();
  try {
    await prepareRoot(dir, nodeStoreFs);
    const store = new EntryStore(dir, nodeStoreFs);
    const locks = new LockManager();
    const index = new VersionsIndex(dir, nodeStoreFs, locks, () => T0);
    const responses = [makeResponse('https://h/main.dart.js?v=1', 'a'), makeResponse('https://h/canvaskit.wasm', 'b', T0 + 1)];
    for (const response of responses) {
      const paths = store.paths(response.meta.key, response.meta.url);
      await store.ensureDir(paths.dir);
      const lock = await locks.acquire(paths.base, 0);
      await store.write(response, lock);
      await lock.release();
    }
    expect((await index.read()).state).toBe('missing');
    await fs.writeFile(path.join(dir, 'cache_versions.json'), '{not json');
    const { data, state } = await index.read();
    expect(state).toBe('corrupt');
    expect(Object.keys(data.entries).sort()).toEqual(responses.map(response => response.meta.key).sort());
    expect(data.resources['https://h/main.dart.js']).toMatchObject({ version: '1' });

    await index.update(() => {});
    expect((await index.read()).state).toBe('ok');
    expect(await fs.stat(path.join(dir, 'cache_versions.json.lock')).catch(() => 'gone')).toBe('gone');
  } finally {
    await removeDir(dir);
  }
});

test('should add flushed hits to the persisted counters', async () => {
  const dir = await makeTempDir();
  try {
    await prepareRoot(dir, nodeStoreFs);
    const index = new VersionsIndex(dir, nodeStoreFs, new LockManager(), () => T0);
    const { meta } = makeResponse('https://h/a.js?v=1', 'a');
    await index.recordStored([{ meta, stem: 's' }]);
    await index.recordHits(new Map([[meta.key, { count: 3, lastHitAt: T0 + 5 }], ['GET https://gone/', { count: 1, lastHitAt: T0 }]]));
    await index.recordHits(new Map([[meta.key, { count: 2, lastHitAt: T0 + 1 }]]));
    expect((await index.read()).data.entries[meta.key]).toMatchObject({ hits: 5, lastHitAt: new Date(T0 + 5).toISOString() });
  } finally {
    await removeDir(dir);
  }
});
