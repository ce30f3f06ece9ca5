import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const REPOSITORY = 'https://github.com/playwright-bundle-cache/playwright-bundle-cache';

function packedFiles(): string[] {
  // dist/ is built by `npm ci` (prepare); --ignore-scripts lists it without rebuilding.
  const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as Array<{ files: Array<{ path: string }> }>;
  return pack!.files.map(file => file.path);
}

test('should ship every export, its types and the bin in the npm tarball', () => {
  const files = new Set(packedFiles());
  const targets: string[] = [manifest.types, ...Object.values(manifest.bin as Record<string, string>)];
  for (const [subpath, target] of Object.entries(manifest.exports as Record<string, string | Record<string, string>>)) {
    if (subpath !== './package.json')
      targets.push(...Object.values(target as Record<string, string>));
  }
  for (const target of targets)
    expect(files, target).toContain(target.replace(/^\.\//, ''));
});

test('should pack only what a user needs: the built code, its types, the README and package.json', () => {
  const files = packedFiles();
  const unexpected = files.filter(file => !['package.json', 'README.md'].includes(file) && !/^dist\/.+\.(?:js|d\.ts)$/.test(file));
  // No tests, sources, docs or raw bench outputs, scripts, examples, and no source maps of sources that are not shipped.
  expect(unexpected).toEqual([]);
  expect(files.filter(file => file.startsWith('dist/')).length).toBeGreaterThan(100);
});

test('should say where the project lives, and claim the peer range the CI smoke test installs', () => {
  expect(manifest.repository).toEqual({ type: 'git', url: `git+${REPOSITORY}.git` });
  expect(manifest.homepage).toBe(`${REPOSITORY}#readme`);
  expect(manifest.bugs).toEqual({ url: `${REPOSITORY}/issues` });
  expect(manifest.keywords).toEqual(expect.arrayContaining(['playwright', 'cache', 'flutter']));
  // scripts/peerSmoke.ts installs the lowest version of this range (run by .ci/run).
  expect(manifest.peerDependencies).toEqual({ 'playwright': '>=1.40.0', '@playwright/test': '>=1.40.0' });
  expect(manifest.peerDependenciesMeta['@playwright/test'].optional).toBe(true);
  expect(manifest.scripts['test:peer']).toBe('tsx scripts/peerSmoke.ts');
  expect(fs.readFileSync(path.join(root, '.ci/run'), 'utf8')).toContain('npm run --silent test:peer');
});
