import fs from 'node:fs';
import path from 'node:path';

/** The project's documentation: the top-level pages and every page under docs/ (paths relative to `root`). */
export function docFiles(root: string): string[] {
  const top = ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md'].filter(file => fs.existsSync(path.join(root, file)));
  const pages = fs.readdirSync(path.join(root, 'docs')).filter(name => name.endsWith('.md')).sort().map(name => `docs/${name}`);
  return [...top, ...pages];
}
