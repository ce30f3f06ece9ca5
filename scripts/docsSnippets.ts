// npm run docs:snippets: copies each file of examples/snippets/ into the
// ```ts block that names it (<!-- snippet: examples/snippets/….ts -->) in
// README.md, CONTRIBUTING.md, CHANGELOG.md and docs/*.md. The snippets are
// type-checked where they live; the docs only ever hold copies.
import fs from 'node:fs';
import path from 'node:path';
import { docFiles } from './docs/docFiles.js';
import { scanSnippets, syncSnippets } from './docs/snippets.js';

const root = path.resolve(import.meta.dirname, '..');
let changed = 0;
let problems = 0;
for (const file of docFiles(root)) {
  const source = fs.readFileSync(path.join(root, file), 'utf8');
  for (const problem of scanSnippets(source).problems) {
    console.error(`${file}:${problem}`);
    problems++;
  }
  const synced = syncSnippets(source, snippet => fs.readFileSync(path.join(root, snippet), 'utf8'));
  if (synced !== source) {
    fs.writeFileSync(path.join(root, file), synced);
    console.log(`updated ${file}`);
    changed++;
  }
}
console.log(`${changed} file${changed === 1 ? '' : 's'} updated${problems ? `, ${problems} problem${problems === 1 ? '' : 's'} above` : ''}`);
if (problems)
  process.exitCode = 1;
