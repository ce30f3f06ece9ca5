import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

test('should ship every export, its types and the bin in the npm tarball, and no tests', () => {
  // dist/ is built by `npm ci` (prepare); --ignore-scripts lists it without rebuilding.
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ files: Array<{ path: string }> }>;
  const files = new Set(pack!.files.map(file => file.path));
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const targets: string[] = [manifest.types, ...Object.values(manifest.bin as Record<string, string>)];
  for (const [subpath, target] of Object.entries(manifest.exports as Record<string, string | Record<string, string>>)) {
    if (subpath !== './package.json')
      targets.push(...Object.values(target as Record<string, string>));
  }
  for (const target of targets)
    expect(files, target).toContain(target.replace(/^\.\//, ''));
  expect([...files].filter(file => file.startsWith('tests/') || file.startsWith('src/'))).toEqual([]);
  expect(manifest.peerDependencies).toHaveProperty('playwright');
  expect(manifest.peerDependenciesMeta['@playwright/test'].optional).toBe(true);
});
