import fs from 'node:fs';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { docFiles } from '../../../scripts/docs/docFiles.js';
import { SNIPPETS_DIR, scanSnippets, syncSnippets } from '../../../scripts/docs/snippets.js';

const root = path.resolve(import.meta.dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

test('should keep every TypeScript block of the docs a copy of a type-checked file under examples/snippets/', () => {
  const problems: string[] = [];
  const used = new Set<string>();
  for (const file of docFiles(root)) {
    const scan = scanSnippets(read(file));
    problems.push(...scan.problems.map(problem => `${file}:${problem}`));
    for (const use of scan.uses) {
      used.add(use.file);
      if (!fs.existsSync(path.join(root, use.file)))
        problems.push(`${file}:${use.block.line}: ${use.file} does not exist`);
      else if (read(use.file) !== use.block.content)
        problems.push(`${file}:${use.block.line}: the block differs from ${use.file}; run \`npm run docs:snippets\``);
    }
  }
  expect(problems).toEqual([]);
  // A snippet no page shows is code nobody reads: delete it, or show it.
  const files = fs.readdirSync(path.join(root, SNIPPETS_DIR)).map(name => `${SNIPPETS_DIR}/${name}`);
  expect(files.filter(file => !used.has(file))).toEqual([]);
  for (const file of files)
    expect(read(file).endsWith('\n'), `${file} ends with a newline`).toBe(true);
});

test('should type-check the snippets where they live: tsconfig.json includes examples/ and maps the package to its source', () => {
  // `tsc -p tsconfig.json` (npm test's first step) reads JSON with comments; strip them before parsing.
  const config = JSON.parse(read('tsconfig.json').replace(/^\s*\/\/.*$/gm, '')) as { include: string[]; compilerOptions: { paths: Record<string, string[]> } };
  expect(config.include).toContain('examples');
  expect(config.compilerOptions.paths['playwright-bundle-cache']).toEqual(['./src/index.ts']);
  expect(config.compilerOptions.paths['playwright-bundle-cache/test']).toEqual(['./src/test/index.ts']);
});

test('should copy each snippet file into the block that names it, and flag a TypeScript block without one', () => {
  const source = [
    '# Page',
    '',
    '<!-- snippet: examples/snippets/a.ts -->',
    '```ts',
    'old();',
    '```',
    '',
    '```ts',
    'notASnippet();',
    '```',
    '',
  ].join('\n');
  const synced = syncSnippets(source, file => (file === 'examples/snippets/a.ts' ? 'const a = 1;\nconst b = 2;\n' : ''));
  expect(synced).toBe(source.replace('old();', 'const a = 1;\nconst b = 2;'));
  const scan = scanSnippets(synced);
  expect(scan.uses).toEqual([{ file: 'examples/snippets/a.ts', block: { info: 'ts', line: 4, content: 'const a = 1;\nconst b = 2;\n' } }]);
  expect(scan.problems).toEqual([expect.stringMatching(/^9: a ```ts block that is no snippet/)]);
});
