import { test, expect } from '@playwright/test';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { findDebris } from '../../../scripts/stress/debris.js';
import { makeTempDir, removeDir } from '../../helpers/tempDir.js';
import { bytes, writeEntry } from '../cli/fixtures/cache.js';

// The guarantee scenarios' debris oracle: it must not pass by finding nothing where it looks.
test('should fail loudly on a dir with no file at all, and count every file a cache does not keep as debris', async () => {
  const parent = await makeTempDir('guarantee-debris-');
  try {
    const dir = path.join(parent, 'cache');
    await fsp.mkdir(path.join(dir, 'v1', 'host'), { recursive: true });
    await expect(findDebris(dir)).rejects.toThrow(`no file at all under ${dir}`);
    await expect(findDebris(path.join(parent, 'not-there'))).rejects.toThrow('no file at all');

    const entry = await writeEntry(dir, { url: 'https://app.example.com/main.dart.js?v=1', body: bytes(1000, 'main'), storedAt: Date.now() });
    expect(await findDebris(dir)).toEqual([]);
    const stem = entry.paths.stem;
    const left = [`${stem}.body.123`, `${stem}.meta.json.9`, `${stem}.body.prev`, 'cache_versions.json.77', `${stem}.data`, 'v1/host/stray.txt'];
    for (const file of left)
      await fsp.writeFile(path.join(dir, file), 'x');
    await fsp.mkdir(path.join(dir, `${stem}.lock`));
    await fsp.symlink('/etc/hostname', path.join(dir, 'v1', 'planted'));
    expect((await findDebris(dir)).sort()).toEqual([...left, `${stem}.lock`, 'v1/planted'].sort());
  } finally {
    await removeDir(parent);
  }
});
