import { test, expect } from '@playwright/test';
import { anchorsOf, slug } from '../../../scripts/docs/anchors.js';
import { linksOf } from '../../../scripts/docs/links.js';
import { parseMarkdown } from '../../../scripts/docs/markdown.js';

test('should read fenced blocks, headings and prose, headings inside a block excepted', () => {
  const parsed = parseMarkdown('# Title\n\ntext\n\n```ts\n# not a heading\nconst a = 1;\n```\n\n## Next\n');
  expect(parsed.problems).toEqual([]);
  expect(parsed.blocks).toEqual([{ info: 'ts', line: 5, content: '# not a heading\nconst a = 1;\n' }]);
  expect(parsed.headings.map(heading => heading.text)).toEqual(['Title', 'Next']);
});

test('should close a fence only with a bare fence of the same kind and at least its length', () => {
  const parsed = parseMarkdown('````md\n```ts\ninner\n```\n````\n~~~text\n```\n~~~\n');
  expect(parsed.problems).toEqual([]);
  expect(parsed.blocks.map(block => [block.info, block.content])).toEqual([['md', '```ts\ninner\n```\n'], ['text', '```\n']]);
});

test('should find the lost fence of a section whose heading and opening fence were deleted', () => {
  // The shape of the README's old `clean` section: output left as prose, then a bare fence that opens instead of closing.
  const broken = '```text\n$ bundle-cache versions\n```\nremoved 1 expired entry\n  - https://cdn.example.com/a.js\n```\n\nCorrupt entries are verify\'s job.\n\n### `clear`\n\n```sh\nnpx bundle-cache clear --yes\n```\n';
  const parsed = parseMarkdown(broken);
  expect(parsed.problems).toEqual([{ line: 6, message: expect.stringContaining('opens without a language') }]);
  // Read as a renderer pairs the fences, the heading after it is code: links to it point at nothing.
  expect(parsed.headings).toEqual([]);
  expect(parseMarkdown('```ts\nconst a = 1;\n').problems).toEqual([{ line: 1, message: expect.stringContaining('never closed') }]);
});

test('should make anchors as GitHub does', () => {
  expect(slug('Use in a test suite')).toBe('use-in-a-test-suite');
  expect(slug('`push [--remote <url>] [--prefix <prefix>]`')).toBe('push---remote-url---prefix-prefix');
  expect(slug('`list [--host <host>] [--expired] [--sort size|age|hits] [--limit <n>]`')).toBe('list---host-host---expired---sort-sizeagehits---limit-n');
  expect(slug('`memory.maxBytes`')).toBe('memorymaxbytes');
  expect(slug('What is stored, and what never is')).toBe('what-is-stored-and-what-never-is');
  expect(slug('Trust: who can poison what')).toBe('trust-who-can-poison-what');
  expect(slug('nginx (WebDAV)')).toBe('nginx-webdav');
  expect(slug('A [linked](https://example.com) <em>word</em> × 2')).toBe('a-linked-word--2');
  expect(slug('Café & crème_brûlée')).toBe('café--crème_brûlée');
});

test('should number repeated headings and honour explicit anchors', () => {
  const anchors = anchorsOf(parseMarkdown('## Run\n\n## Run\n\n## Run\n\n<a id="measured-2026"></a>\n'));
  expect([...anchors].sort()).toEqual(['measured-2026', 'run', 'run-1', 'run-2']);
});

test('should find links in prose and headings, not in code', () => {
  const source = [
    'See [the options](docs/options.md#dir) and ![chart](docs/bench.svg "chart").',
    'A [link across',
    'lines](#two-lines), and `[not a link](nowhere.md)` in code.',
    '',
    '```text',
    '[also not](nowhere.md)',
    '```',
    '',
    '### [`status`](docs/cli.md#status)',
    '',
    '[ref]: <CHANGELOG.md>',
  ].join('\n');
  expect(linksOf(parseMarkdown(source))).toEqual([
    { target: 'docs/options.md#dir', line: 1 },
    { target: 'docs/bench.svg', line: 1 },
    { target: '#two-lines', line: 2 },
    { target: 'docs/cli.md#status', line: 9 },
    { target: 'CHANGELOG.md', line: 11 },
  ]);
});
