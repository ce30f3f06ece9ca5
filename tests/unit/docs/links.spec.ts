import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { checkLinks } from '../../../scripts/docs/checkLinks.js';
import { docFiles } from '../../../scripts/docs/docFiles.js';

const root = path.resolve(import.meta.dirname, '../../..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { repository: { url: string } };
const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
// npm renders README.md on the registry from the tarball, without the repository: its links are absolute.
const options = { repository, renderedWithoutRepository: ['README.md'] };

test('should resolve every link and anchor of the README, CONTRIBUTING, CHANGELOG and docs/, with balanced code fences', () => {
  const files = docFiles(root);
  expect(files).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'docs/options.md']));
  expect(checkLinks(root, files, options)).toEqual([]);
});

test.describe('the link check', () => {
  let dir: string;
  test.beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'bundle-cache-links-'));
    await mkdir(path.join(dir, 'docs'));
    await writeFile(path.join(dir, 'docs/options.md'), '# Options\n\n## `memory.maxBytes`\n\nSee [the top](../README.md#install).\n');
  });
  test.afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('should accept absolute links into the repository, relative ones in docs/ and in-page anchors', async () => {
    await writeFile(path.join(dir, 'README.md'), `# Top\n\n## Install\n\n[options](${repository}/blob/main/docs/options.md#memorymaxbytes), [docs](${repository}/tree/main/docs), [issues](${repository}/issues), [up](#install), [npm](https://www.npmjs.com/)\n`);
    expect(checkLinks(dir, ['README.md', 'docs/options.md'], options)).toEqual([]);
  });

  test('should refuse a relative link in the README, a missing file, a missing anchor and a link to another branch', async () => {
    await writeFile(path.join(dir, 'README.md'), [
      '# Top',
      '',
      '[options](docs/options.md)',
      `[gone](${repository}/blob/main/docs/gone.md)`,
      `[typo](${repository}/blob/main/docs/options.md#memory-maxbytes)`,
      `[branch](${repository}/blob/dev/docs/options.md)`,
      '[nowhere](#install)',
      '',
    ].join('\n'));
    expect(checkLinks(dir, ['README.md'], options)).toEqual([
      `README.md:3: docs/options.md: npm renders README.md without the repository, where a relative link leads nowhere; link to ${repository}/blob/main/docs/options.md`,
      `README.md:4: ${repository}/blob/main/docs/gone.md: docs/gone.md does not exist`,
      `README.md:5: ${repository}/blob/main/docs/options.md#memory-maxbytes: docs/options.md has no heading with the anchor #memory-maxbytes`,
      `README.md:6: ${repository}/blob/dev/docs/options.md: a link into the repository must name a file on main: ${repository}/blob/main/<path>`,
      'README.md:7: #install: README.md has no heading with the anchor #install',
    ]);
  });

  test('should report an unbalanced fence and the anchors it hides', async () => {
    await writeFile(path.join(dir, 'docs/cli.md'), '# CLI\n\n```text\n$ bundle-cache versions\n```\nremoved 1 expired entry\n```\n\n## `clear`\n\n```sh\nbundle-cache clear\n```\n\nSee [clear](#clear).\n');
    expect(checkLinks(dir, ['docs/cli.md'], options)).toEqual([
      expect.stringMatching(/^docs\/cli\.md:7: a code block opens without a language/),
      'docs/cli.md:15: #clear: docs/cli.md has no heading with the anchor #clear',
    ]);
  });
});
